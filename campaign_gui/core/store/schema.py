"""The store's schema: its forward migrations, and the SQL they share with the code.

The schema is versioned (``PRAGMA user_version`` is the number of migrations run): a
migration that has shipped is never edited, a change is a new one at the end.
"""

from __future__ import annotations

import sqlite3

from .. import limits

# Where schema 4 set aside the counts of the days a feed had given before feeds were bound to
# their root keys (the campaign's id + this): never shown, still published by their organiser.
UNBOUND = "@before-feed-keys"

# Every reader skips a stored row outside the valid ranges (and logs it), so a value that got in
# once — by an older version, a hand edit, a bug — can never make the store unusable.
VALID_OBSERVATION = f"""
    observed_at >= {limits.EARLIEST_EPOCH} AND observed_at < {limits.LATEST_EPOCH}
    AND (likes IS NULL OR (typeof(likes) = 'integer' AND likes BETWEEN 0 AND {limits.MAX_COUNT}))
    AND (followers IS NULL OR (typeof(followers) = 'integer'
         AND followers BETWEEN 0 AND {limits.MAX_COUNT}))
    AND (likes IS NOT NULL OR followers IS NOT NULL)
    AND typeof(observed_at) = 'integer'"""


# A reading's shape: which of its figures it carries (see count_shapes). Only valid readings
# have one: the others are never read.
SHAPE = "(likes IS NOT NULL) + 2 * (followers IS NOT NULL)"
SHAPE_BOUNDS = """ON CONFLICT (campaign, target, shape) DO UPDATE SET
    first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)"""
SHAPES_FROM_OBSERVATIONS = f"""
    INSERT INTO count_shapes SELECT campaign, target, {SHAPE}, min(observed_at), max(observed_at)
    FROM observations WHERE {VALID_OBSERVATION}
    GROUP BY campaign, target, {SHAPE} {SHAPE_BOUNDS};
"""
# The shapes are trusted while every write of counts since their last update was this version's
# (``shapes_seq`` is the change number they hold; see ``_note_changes``).
SHAPES_TRUSTED = "UPDATE store_identity SET shapes_seq = seq"

# Each entry moves the schema one version forward; never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE observations (
        campaign TEXT NOT NULL,
        target TEXT NOT NULL,
        observed_at INTEGER NOT NULL,   -- seconds since 1970-01-01 UTC
        likes INTEGER NOT NULL CHECK (likes >= 0),
        followers INTEGER CHECK (followers >= 0),
        PRIMARY KEY (campaign, target, observed_at)
    ) WITHOUT ROWID;
    CREATE TABLE reports (
        campaign TEXT NOT NULL,
        id TEXT NOT NULL,
        target TEXT NOT NULL,           -- '' for a figure covering every target
        start_day TEXT NOT NULL,
        end_day TEXT NOT NULL,
        loss INTEGER,
        loss_percent REAL,
        qualifier TEXT NOT NULL,
        sources TEXT NOT NULL,          -- JSON list of {"name", "url"}
        note TEXT NOT NULL,             -- JSON {language: text}
        PRIMARY KEY (campaign, id)
    );
    CREATE TABLE page_marks (
        campaign TEXT NOT NULL,
        target TEXT NOT NULL,
        unliked_at INTEGER NOT NULL,
        PRIMARY KEY (campaign, target)
    );
    """,
    """
    CREATE TABLE user_days (
        campaign TEXT NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        start_day TEXT NOT NULL,
        end_day TEXT NOT NULL,
        title TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (campaign, id)
    );
    CREATE TABLE day_reminders (
        campaign TEXT NOT NULL,
        day_id TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        PRIMARY KEY (campaign, day_id)
    );
    CREATE TABLE delivered_reminders (
        campaign TEXT NOT NULL,
        key TEXT NOT NULL,
        delivered_at INTEGER NOT NULL,
        PRIMARY KEY (campaign, key)
    ) WITHOUT ROWID;
    """,
    """
    -- A page of the "New Pages Experience" may give its followers and no like count: likes
    -- may be missing when followers are not (SQLite changes a constraint by rebuilding).
    CREATE TABLE observations_new (
        campaign TEXT NOT NULL,
        target TEXT NOT NULL,
        observed_at INTEGER NOT NULL,   -- seconds since 1970-01-01 UTC
        likes INTEGER CHECK (likes >= 0),
        followers INTEGER CHECK (followers >= 0),
        CHECK (likes IS NOT NULL OR followers IS NOT NULL),
        PRIMARY KEY (campaign, target, observed_at)
    ) WITHOUT ROWID;
    INSERT INTO observations_new SELECT * FROM observations;
    DROP TABLE observations;
    ALTER TABLE observations_new RENAME TO observations;
    CREATE TABLE campaigns (
        id TEXT PRIMARY KEY,
        document BLOB NOT NULL,         -- the campaign's JSON, as validated when it was stored
        origin TEXT NOT NULL,           -- 'feed' or the file it came from
        stored_at INTEGER NOT NULL
    );
    CREATE TABLE feed_chunks (
        campaign TEXT NOT NULL,
        name TEXT NOT NULL,             -- counts/<day>.json
        sha256 TEXT NOT NULL,
        merged_at INTEGER NOT NULL,
        PRIMARY KEY (campaign, name)
    ) WITHOUT ROWID;
    CREATE TABLE feed_status (
        campaign TEXT PRIMARY KEY,
        last_success INTEGER,           -- when a sync last verified the whole feed
        fresh_until INTEGER,            -- when the feed's signed timestamp expires
        mirror TEXT
    );
    """,
    """
    -- A feed is bound to the root keys that sign it: its campaign document, chunks, status and
    -- counts are kept under a feed key (the campaign's id and its root keys' fingerprint), never
    -- under the bare id a campaign file without that root would show. State kept before could
    -- not say which root it came from: it goes, and the next sync brings it again, verified.
    -- The counts of the days a feed gave are set aside under a key no campaign file shows
    -- (UNBOUND): they may be a stranger's; an organiser's own are still published from there.
    UPDATE observations SET campaign = campaign || '@before-feed-keys'
    WHERE EXISTS (
        SELECT 1 FROM feed_chunks AS f WHERE f.campaign = observations.campaign
        AND f.name = 'counts/' || date(observations.observed_at, 'unixepoch') || '.json'
    );
    DELETE FROM campaigns WHERE origin = 'feed';
    DELETE FROM feed_chunks;
    DELETE FROM feed_status;
    -- TUF's trusted metadata, kept only with the data it vouches for (one transaction).
    CREATE TABLE feed_metadata (
        feed TEXT NOT NULL,
        name TEXT NOT NULL,             -- root-<version>, timestamp, snapshot, targets
        data BLOB NOT NULL,
        PRIMARY KEY (feed, name)
    ) WITHOUT ROWID;
    ALTER TABLE feed_status ADD COLUMN etag_url TEXT;  -- the timestamp's validator: a 304 next
    ALTER TABLE feed_status ADD COLUMN etag TEXT;
    """,
    """
    -- Which days of each key's counts were written, and when (a number that only grows): a
    -- publish reads again only the days written since the one before it, whose folder keeps
    -- the number it saw, that write's token and this store's id (another store's numbers, or
    -- this one's restored from a backup or copied to another computer, mean nothing here:
    -- the token of that number is not the one kept, and everything is read again).
    CREATE TABLE count_changes (
        campaign TEXT NOT NULL,
        day INTEGER NOT NULL,           -- the UTC day's first second
        seq INTEGER NOT NULL,
        PRIMARY KEY (campaign, day)
    ) WITHOUT ROWID;
    CREATE INDEX count_changes_by_seq ON count_changes (campaign, seq);
    CREATE TABLE store_identity (id TEXT NOT NULL, seq INTEGER NOT NULL);
    INSERT INTO store_identity VALUES (lower(hex(randomblob(16))), 0);
    CREATE TABLE count_writes (seq INTEGER PRIMARY KEY, token TEXT NOT NULL);
    """,
    """
    -- Which figures each page's readings carry (1: likes only, 2: followers only, 3: both), and
    -- from when to when: the few lookups of a page's latest figures are bounded by them and
    -- skip a figure no reading carries (Facebook Pages today give followers only), instead of
    -- walking a year of readings to find none. Only ever widened: a bound is never too narrow.
    CREATE TABLE count_shapes (
        campaign TEXT NOT NULL,
        target TEXT NOT NULL,
        shape INTEGER NOT NULL,
        first_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        PRIMARY KEY (campaign, target, shape)
    ) WITHOUT ROWID;
    """
    + SHAPES_FROM_OBSERVATIONS
    + """
    -- The change number (store_identity.seq) the shapes hold every write up to. A copy of an
    -- older version still running writes counts (and moves seq) without them: the shapes are
    -- then read from the readings until the next write of this version builds them again.
    ALTER TABLE store_identity ADD COLUMN shapes_seq INTEGER NOT NULL DEFAULT 0;
    """
    + SHAPES_TRUSTED
    + ";",
    """
    -- A report that does not say on which day its figure was counted (the campaign file's
    -- "date_given": false) is shown at the day it was published, and said "date not given".
    ALTER TABLE reports ADD COLUMN date_given INTEGER NOT NULL DEFAULT 1;
    """,
)


def split_statements(script: str) -> list[str]:
    """Split a migration script into statements, so they run inside our own transaction."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return [s for s in statements if s]
