"""What a feed is bound to: one campaign, signed by one set of root keys.

An organiser's keys sign every campaign they publish, and anyone can publish a feed whose
campaign has any id (the bundled campaign's, say). So what a feed brought (its campaign
document, its counts, TUF's trusted metadata) is kept under a *feed key*: the campaign's id and a
fingerprint of the root keys that the participant's campaign file trusts. A campaign file shows
only what was verified against its own root; a file without a root (the bundled campaign) shows
nothing any feed brought.

The fingerprint is of the root *keys* (and threshold), not of the root document: the root is
signed again as it nears its expiry and when the online key rotates, and neither changes whose
feed it is. A new root key (a new campaign file) is a new feed, synced again from the start.
"""

from __future__ import annotations

import hashlib
import json


def root_fingerprint(root: bytes) -> str:
    """A short fingerprint of the root keys in ``root`` (TUF root metadata, JSON), or of the bytes
    themselves when they do not say (TUF refuses such a root at the first sync anyway)."""
    try:
        role = json.loads(root)["signed"]["roles"]["root"]
        keyids = sorted(str(k) for k in role["keyids"])
        what = json.dumps({"keyids": keyids, "threshold": int(role["threshold"])}).encode()
    except (ValueError, KeyError, TypeError, RecursionError):
        what = root
    return hashlib.sha256(what).hexdigest()[:16]


def feed_key(campaign_id: str, root: bytes) -> str:
    """Where the store keeps what the feed of ``campaign_id`` signed by ``root``'s keys brought.

    A campaign id has no "@" (``campaign._ID``), so no campaign file's id can name a feed key."""
    return f"{campaign_id}@{root_fingerprint(root)}"
