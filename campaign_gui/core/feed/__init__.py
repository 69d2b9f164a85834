"""The campaign feed: the organisers' data as TUF targets under signed metadata, on any mirror.

``layout`` names the files, ``windows`` the spans of time counts are published in, ``chunks``
reads and writes the counts of one of them, ``count_files`` and ``folder_state`` decide what a
publish lists and prunes, ``publish`` writes a whole feed, ``fetcher`` downloads over httpx,
``sync`` brings a participant up to date.
docs/feed-format.md describes the layout for whoever hosts or reads a feed.
"""
