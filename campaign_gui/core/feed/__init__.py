"""The campaign feed: the organisers' data as TUF targets under signed metadata, on any mirror.

``layout`` names the files, ``chunks`` reads and writes the like counts of one day, ``publish``
writes a whole feed, ``fetcher`` downloads over httpx, ``sync`` brings a participant up to date.
docs/feed-format.md describes the layout for whoever hosts or reads a feed.
"""
