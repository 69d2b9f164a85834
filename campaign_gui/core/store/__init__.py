"""The SQLite store: like counts, reported losses and the pages a user has unliked.

One file in the user data dir, WAL mode, schema version in ``PRAGMA user_version`` with forward
migrations, every write batch in one transaction. A file that is not a database is moved aside
(kept, renamed with a timestamp) and a fresh store is started; the caller is told so it can tell
the user.

``Store`` is one class to its callers, made of a part per thing it keeps: the file and its
transactions (``connection``), counts in (``ingest``) and out (``readings``), the campaign's
reported losses (``reports``), the user's own data (``own_data``) and a feed's state
(``feed_state``); the schema they share is ``schema``'s.
"""

from .connection import BUSY_TIMEOUT_MS, STORE_FILE
from .errors import (
    DAMAGED_NOTE,
    StoreBusyError,
    StoreError,
    StoreFullError,
    damaged_store_error,
    recovered_text,
)
from .feed_state import (
    MAX_METADATA_BYTES,
    FeedMerge,
    FeedState,
    FeedStatus,
    StoredCampaign,
    TrustedFeed,
)
from .ingest import KEPT_WRITES, CountIngest, count_columns, spans_of
from .own_data import OwnData
from .readings import CountReads
from .records import (
    ConflictingObservationError,
    CountColumns,
    CountRow,
    ImportResult,
    LazyCountColumns,
    Observation,
    Spans,
    from_epoch,
    to_epoch,
)
from .reports import CampaignReports
from .schema import MIGRATIONS, UNBOUND


class Store(FeedState, CountIngest, CountReads, CampaignReports, OwnData):
    """One open store file. Use it from one thread at a time."""


__all__ = [
    "BUSY_TIMEOUT_MS",
    "DAMAGED_NOTE",
    "KEPT_WRITES",
    "MAX_METADATA_BYTES",
    "MIGRATIONS",
    "STORE_FILE",
    "UNBOUND",
    "ConflictingObservationError",
    "CountColumns",
    "CountRow",
    "FeedMerge",
    "FeedStatus",
    "ImportResult",
    "LazyCountColumns",
    "Observation",
    "Spans",
    "Store",
    "StoreBusyError",
    "StoreError",
    "StoreFullError",
    "StoredCampaign",
    "TrustedFeed",
    "count_columns",
    "damaged_store_error",
    "from_epoch",
    "recovered_text",
    "spans_of",
    "to_epoch",
]
