"""The feed's counts in windows of time (feed format 2): a participant who keeps up downloads
only the small files of each publish, never a compacted file of counts it has; one who arrives
late downloads the compacted files and ends up with the same counts; superseded files go after
the grace period; a chunk that lies about its numbers is refused, whatever the trick."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from campaign_gui.core.clock import FixedClock
from campaign_gui.core.feed import layout, windows
from campaign_gui.core.feed.chunks import ChunkError, decode_chunk, encode_chunk
from campaign_gui.core.feed.count_files import StoreSource
from campaign_gui.core.feed.folder_state import STATE_FILE
from campaign_gui.core.feed.publish import publish
from campaign_gui.core.feed.sync import FeedError, judge_expiry_at
from campaign_gui.core.paths import AppPaths
from campaign_gui.core.store import Observation, Store
from campaign_gui.core.workspace import Workspace

from .feed_host import bundled_document, do_publish, sync
from .probes import count_observations

TARGETS = ("maroc-telecom", "meditel", "inwi")
# 23:10 UTC on the last day of a month: the next hour closes the day and the
# month with it.
START = datetime(2026, 3, 31, 23, 10, tzinfo=UTC)


def every_five_minutes(
    until: datetime, since: datetime = START - timedelta(days=3), step: int = 300
):
    out, at, i = [], since, 0
    while at <= until:
        out += [Observation(t, at, 2_000_000 - i, None) for t in TARGETS]
        at, i = at + timedelta(seconds=step), i + 1
    return out


def paths_of(tmp_path, name) -> AppPaths:
    return AppPaths(tmp_path / name / "data", tmp_path / name / "config")


def stored(paths: AppPaths, campaign_file) -> list[tuple]:
    workspace = Workspace.open(paths, campaign_file, clock=FixedClock(START))
    try:
        return sorted(
            (o.target, o.observed_at, o.likes, o.followers)
            for o in workspace.store.observations(workspace.feed_key)
        )
    finally:
        workspace.close()


def downloaded(host) -> list[str]:
    return [p.split(".", 1)[1] for p, s in host.requests if s == 200 and "/counts/" in p]


@pytest.mark.parametrize("step", [300, 95])  # 95 s: a count after a publish, in its quarter
def test_a_participant_who_keeps_up_never_downloads_a_compacted_file(tmp_path, host, signers, step):
    """Every 15 minutes across the end of an hour, a day and a month: the participant who synced
    each time downloads the new quarters' files only; the compacted hour, day and month files are
    recorded from the parts it has. One who arrives afterwards gets the compacted files, and
    both hold the same counts."""
    mine = host.root / layout.PARTICIPANT_FILE
    keeper = paths_of(tmp_path, "keeper")
    now = START
    do_publish(host.root, signers, every_five_minutes(now, step=step), [host.url], now=now)
    sync(keeper, mine, now=now)
    host.requests.clear()
    for _step in range(8):  # 23:25 … 01:10: the hour, the day and the month close
        now += timedelta(minutes=15)
        do_publish(host.root, signers, every_five_minutes(now, step=step), [host.url], now=now)
        sync(keeper, mine, now=now)
    got = downloaded(host)
    assert got and all(windows.parse_name("counts/" + name).level == "quarter" for name in got)
    listed = {p.name.split(".", 1)[1] for p in (host.root / "targets" / "counts").iterdir()}
    assert {"2026-03.json", "2026-04-01T01h00.json"} <= listed  # the month was compacted

    late = paths_of(tmp_path, "late")
    host.requests.clear()
    sync(late, mine, now=now)
    assert "2026-03.json" in downloaded(host)
    assert stored(late, mine) == stored(keeper, mine)
    assert len(stored(late, mine)) == len(every_five_minutes(now, step=step))


def test_a_count_added_to_a_closed_day_reaches_participants(tmp_path, host, signers):
    """The organiser imports a count of two days ago: publish issues that day's file again (its
    parts changed) and the participant who had the day takes it."""
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    mine = host.root / layout.PARTICIPANT_FILE
    counts = every_five_minutes(now, since=now - timedelta(days=3))
    do_publish(host.root, signers, counts, [host.url], now=now)
    me = paths_of(tmp_path, "me")
    sync(me, mine, now=now)
    late = Observation("inwi", datetime(2026, 3, 18, 6, 2, tzinfo=UTC), 1_234_567, None)
    later = now + timedelta(minutes=15)
    do_publish(host.root, signers, [*counts, late], [host.url], now=later)
    host.requests.clear()
    assert sync(me, mine, now=later).counts == 1
    assert downloaded(host) == ["2026-03-18.json"]
    assert (late.target, late.observed_at, late.likes, None) in stored(me, mine)


def test_superseded_files_are_pruned_after_the_grace_period(tmp_path, host, signers):
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    counts = every_five_minutes(now, since=now - timedelta(hours=2))
    do_publish(host.root, signers, counts, [host.url], now=now)
    first = {p for p in host.root.rglob("*") if p.is_file()}
    later = now + timedelta(minutes=15)
    counts = every_five_minutes(later, since=now - timedelta(hours=2))
    result = do_publish(host.root, signers, counts, [host.url], now=later)
    assert result.pruned == 0
    assert first <= {p for p in host.root.rglob("*") if p.is_file()}  # still there
    state = json.loads((host.root / STATE_FILE).read_text())
    assert state["superseded"]  # the old timestamp's snapshot, the old quarter's file…
    much_later = later + layout.PRUNE_AFTER + timedelta(minutes=1)
    counts = every_five_minutes(much_later, since=now - timedelta(hours=2))
    result = do_publish(host.root, signers, counts, [host.url], now=much_later)
    assert result.pruned >= len(state["superseded"])
    for name in state["superseded"]:
        assert not (host.root / name).exists()
    assert (host.root / "metadata" / "1.root.json").exists()  # roots stay, every version
    fresh = paths_of(tmp_path, "fresh")
    assert sync(fresh, host.root / layout.PARTICIPANT_FILE, now=much_later).counts == len(counts)


def test_publish_from_the_store_reads_only_what_changed(tmp_path, signers, campaign):
    """The store-backed source gives the same feed as the counts given whole, and a second
    publish reads no closed day again unless its counts changed."""
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    store = Store.open(tmp_path / "data")
    counts = every_five_minutes(now, since=now - timedelta(days=5))
    store.add_observations(campaign.id, counts)
    targets = {t.id for t in campaign.targets}

    class Reading(StoreSource):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            self.read: list[tuple[int, int]] = []

        def rows(self, start: int, end: int):
            self.read.append((start, end))
            return super().rows(start, end)

    def run(out, now, source=None):
        return publish(
            out,
            campaign_document=bundled_document(),
            source=source,
            observations=None if source else counts,
            mirrors=["https://example.org/feed/"],
            signers=signers,
            now=now,
        )

    first = Reading(store, (campaign.id,), targets, now)
    run(tmp_path / "a", now, first)
    run(tmp_path / "b", now)
    listing = {p.name for p in (tmp_path / "a" / "targets" / "counts").iterdir()}
    assert listing == {p.name for p in (tmp_path / "b" / "targets" / "counts").iterdir()}
    assert len(first.read) > 5  # every day, the first time

    later = now + timedelta(minutes=15)
    second = Reading(store, (campaign.id,), targets, later)
    run(tmp_path / "a", later, second)
    today = windows.window_of(windows.DAY, int(later.timestamp()))
    assert all(start >= today.start for start, _end in second.read)

    late = Observation("inwi", now - timedelta(days=2, hours=3, seconds=17), 5)
    store.add_observations(campaign.id, [late])
    third = Reading(store, (campaign.id,), targets, later)
    run(tmp_path / "a", later, third)
    changed = windows.window_of(windows.DAY, int((now - timedelta(days=2)).timestamp()))
    assert (changed.start, changed.end) in third.read
    assert len(third.read) == 2  # that day, and the open one

    # The same folder published from another store (another computer, a restored copy): its
    # numbers say nothing of this folder, so every day is read again.
    other = Store.open(tmp_path / "other")
    other.add_observations(campaign.id, [*counts, late])
    fourth = Reading(other, (campaign.id,), targets, later)
    run(tmp_path / "a", later, fourth)
    assert len(fourth.read) == len(first.read)
    other.close()
    store.close()


def test_a_feed_of_the_first_format_says_who_must_update(tmp_path, host, signers):
    do_publish(host.root, signers, every_five_minutes(START), [host.url], now=START)
    targets_file = host.root / "metadata" / "targets.json"
    from tuf.api.metadata import Metadata

    from .feed_host import resign

    md = Metadata.from_bytes(targets_file.read_bytes())
    info = md.signed.targets[layout.CAMPAIGN_TARGET]
    for version, kind, words in (
        (1, "older-format", "publish it again"),
        (3, "newer-format", "Update"),
    ):
        info.unrecognized_fields["custom"] = {"feed-format": version}
        targets_file.write_bytes(md.to_bytes())
        resign(host.root, dict.fromkeys(layout.ONLINE_ROLES, signers.online), START)
        md = Metadata.from_bytes(targets_file.read_bytes())
        info = md.signed.targets[layout.CAMPAIGN_TARGET]
        with pytest.raises(FeedError) as refused:
            sync(paths_of(tmp_path, kind), host.root / layout.PARTICIPANT_FILE, now=START)
        assert refused.value.kind == kind
        assert words in refused.value.message


# -- a chunk's numbers -----------------------------------------------------------------------

DAY = windows.window_of(windows.DAY, int(datetime(2026, 3, 8, tzinfo=UTC).timestamp()))
NOW = datetime(2026, 3, 10, tzinfo=UTC)


def chunk(series) -> bytes:
    document = {
        "format": "campaign-gui-counts",
        "version": 2,
        "campaign": "ma-voip-2016",
        "from": DAY.start,
        "to": DAY.end,
        "series": series,
    }
    return json.dumps(document).encode()


def decode(raw: bytes):
    return decode_chunk(raw, campaign_id="ma-voip-2016", window=DAY, targets=TARGETS, now=NOW)


def test_a_chunk_round_trips_with_missing_counts():
    rows = [
        ("inwi", DAY.start + 60, 2_000_000, None),
        ("inwi", DAY.start + 120, None, 2_100_000),
        ("inwi", DAY.start + 180, 1_999_990, 2_100_001),
        ("meditel", DAY.start, 0, None),
    ]
    got = decode(encode_chunk("ma-voip-2016", DAY, rows))
    assert sorted(r[:4] for r in zip(*got, strict=True)) == sorted(rows)


@pytest.mark.parametrize(
    "series",
    [
        [["inwi", [DAY.start + 1, True], [5, 0], None]],  # a boolean for a time step
        [["inwi", [DAY.start + 1], [True], None]],  # a boolean for a count
        [["inwi", [DAY.start + 1], [5.0], None]],
        [["inwi", [DAY.start + 1], [10**30], None]],
        [["inwi", [DAY.start + 1], ["5"], None]],
        [["inwi", [DAY.start + 1, 60], [10**12, 10**12], None]],  # 2·10^12: out of range
        [["inwi", [DAY.start + 1, 60, 60], [4 * 10**18, 4 * 10**18, 4 * 10**18], None]],
        [["inwi", [DAY.start + 1, 0], [5, 0], None]],  # the same instant twice
        [["inwi", [DAY.start + 1, -1], [5, 0], None]],
        [["inwi", [DAY.start - 1], [5], None]],  # before the window
        [["inwi", [DAY.start + 1, 86_400], [5, 0], None]],  # after it
        [["inwi", [DAY.start + 1], [None], None]],  # neither count
        [["inwi", [DAY.start + 1], [5, 6], None]],  # columns of other lengths
        [["inwi", [DAY.start + 1], [5], None], ["inwi", [DAY.start + 2], [5], None]],
        [["someone-else", [DAY.start + 1], [5], None]],
        [["inwi", [], None, None]],
        [["inwi", [DAY.start + 1], [-1], None]],
        [["inwi", [[DAY.start + 1, DAY.start + 2]], [5], None]],  # nested
        [["inwi", [DAY.start + 1, DAY.start + 2], [[5], [6, 7]], None]],  # ragged
        [["inwi", [[[DAY.start]]], [5], None]],
    ],
)
def test_a_chunk_that_lies_about_its_numbers_is_refused(series):
    with pytest.raises(ChunkError):
        decode(chunk(series))


def test_a_chunk_of_another_window_is_refused():
    raw = encode_chunk("ma-voip-2016", windows.window_of(windows.DAY, DAY.end), [])
    with pytest.raises(ChunkError, match="window"):
        decode(raw)


def test_window_names_round_trip_and_nothing_else_parses():
    at = int(datetime(2026, 12, 31, 23, 45, tzinfo=UTC).timestamp())
    for level in windows.LEVELS:
        window = windows.window_of(level, at)
        assert windows.parse_name(window.name) == window
    month = windows.window_of(windows.MONTH, at)
    assert month.end == int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
    for name in (
        "counts/2026-02-30.json",
        "counts/2026-03-08T10h07.json",
        "counts/9999.json",
        "counts/2026-03-08T24.json",
        "../counts/2026-03.json",
        "counts/2026-13.json",
    ):
        assert windows.parse_name(name) is None


def test_any_tuf_client_reads_the_feed_delegations_included(tmp_path, host, signers):
    """The feed is standard TUF: python-tuf's own client, with none of the app's code, finds
    and verifies a counts file of each level through the delegated roles."""
    from tuf.ngclient import Updater

    from .feed_host import trusted_root

    now = datetime(2026, 4, 2, 0, 50, tzinfo=UTC)
    do_publish(
        host.root,
        signers,
        every_five_minutes(now, since=START - timedelta(days=40)),
        [host.url],
        now=now,
    )
    client = tmp_path / "client"
    (client / "metadata").mkdir(parents=True)
    (client / "targets").mkdir()
    updater = Updater(
        str(client / "metadata"),
        host.url + "metadata/",
        str(client / "targets"),
        host.url + "targets/",
        bootstrap=trusted_root(host.root),
    )
    judge_expiry_at(updater, now)  # the test's clock, not the machine's
    updater.refresh()
    names = [
        "counts/2026-02.json",
        "counts/2026-03.json",
        "counts/2026-04-01.json",
        "counts/2026-04-02T00h00.json",
    ]
    for name in names:
        info = updater.get_targetinfo(name)
        assert info is not None, name
        data = Path(updater.download_target(info)).read_bytes()
        assert json.loads(data)["from"] == windows.parse_name(name).start
    assert updater.get_targetinfo("counts/2026-03-31.json") is None  # in its month now


def test_ngclient_still_judges_expiry_at_the_time_it_is_given(tmp_path, host, signers):
    """python-tuf 7 has no public way to give ngclient the time: ``judge_expiry_at`` reaches
    into it. The same feed verifies at its publish and is out of date two days later, by the
    time given alone; if an upgrade of python-tuf moves what it sets, this says so."""
    from tuf.api.exceptions import ExpiredMetadataError
    from tuf.ngclient import Updater

    from .feed_host import trusted_root

    now = datetime(2026, 4, 2, 0, 50, tzinfo=UTC)
    do_publish(host.root, signers, every_five_minutes(now), [host.url], now=now)

    def refresh_at(moment: datetime, name: str) -> None:
        folder = tmp_path / name
        folder.mkdir()
        updater = Updater(str(folder), host.url + "metadata/", bootstrap=trusted_root(host.root))
        try:
            judge_expiry_at(updater, moment)
        except RuntimeError as exc:
            pytest.fail(f"python-tuf changed: {exc}")
        updater.refresh()

    ignored = (
        "python-tuf ignored the time judge_expiry_at gave it: the feed's expiry is judged by "
        "the computer's clock, not the app's (core/feed/sync.py judge_expiry_at)"
    )
    try:
        refresh_at(now, "at-publish")
    except ExpiredMetadataError:
        pytest.fail(ignored)
    with pytest.raises(ExpiredMetadataError):
        refresh_at(now + timedelta(days=2), "two-days-later")
        pytest.fail(ignored)


def test_publish_never_writes_or_removes_through_a_link(tmp_path, signers):
    """A link where the feed's folders go (an organiser's shortcut to a shared folder, or
    someone's trap) would make publish write and prune somewhere else: it refuses, and the
    files there stay."""
    from campaign_gui.core.feed.publish import PublishError

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    out = tmp_path / "feed"
    out.mkdir()
    (out / "targets").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(PublishError) as refused:
        do_publish(out, signers, every_five_minutes(START), ["https://example.org/"], now=START)
    assert "link" in refused.value.message
    assert [p.name for p in elsewhere.iterdir()] == ["keep.txt"]


def test_prune_leaves_files_it_did_not_write(tmp_path, signers):
    out = tmp_path / "feed"
    do_publish(out, signers, every_five_minutes(START), ["https://example.org/"], now=START)
    theirs = [out / "metadata" / "notes.txt", out / "targets" / "logo.png"]
    for path in theirs:
        path.write_text("theirs")
    later = START + layout.PRUNE_AFTER * 2
    result = do_publish(
        out, signers, every_five_minutes(later), ["https://example.org/"], now=later
    )
    assert result.pruned > 0  # the feed's own superseded files went
    assert all(path.read_text() == "theirs" for path in theirs)


def test_a_file_damaged_in_the_folder_is_written_again(tmp_path, host, signers):
    """A half copy or a disk error in the organiser's folder: the next publish writes the file
    again, and a new participant gets the feed."""
    now = datetime(2026, 4, 2, 0, 50, tzinfo=UTC)
    counts = every_five_minutes(now, since=START - timedelta(days=40))
    do_publish(host.root, signers, counts, [host.url], now=now)
    month = next((host.root / "targets" / "counts").glob("*.2026-02.json"))
    month.write_bytes(month.read_bytes()[:100])
    versioned = sorted((host.root / "metadata").glob("*.months.json"))[-1]
    versioned.write_bytes(b"{")
    later = now + timedelta(minutes=15)
    do_publish(host.root, signers, counts, [host.url], now=later)
    fresh = paths_of(tmp_path, "fresh")
    assert sync(fresh, host.root / layout.PARTICIPANT_FILE, now=later).counts == len(counts)


# -- what publish remembers, as the attacker and the accident see it --------------------------


class Organiser:
    """The organiser's store with six weeks of counts, publishing from it into the host's
    folder as ``campaign-gui publish`` does."""

    def __init__(self, folder, host, signers) -> None:
        self.folder, self.host, self.signers = folder, host, signers
        self.store = Store.open(folder)
        since = START - timedelta(days=42)
        self.store.add_observations("ma-voip-2016", every_five_minutes(START, since=since))

    def publish(self, now, document=None):
        document = document or bundled_document()
        targets = {t["id"] for t in document["targets"]}
        return publish(
            self.host.root,
            campaign_document=document,
            source=StoreSource(self.store, ("ma-voip-2016",), targets, now),
            mirrors=[self.host.url],
            signers=self.signers,
            now=now,
        )

    def add(self, *observations) -> None:
        self.store.add_observations("ma-voip-2016", list(observations))


@pytest.fixture
def organiser(tmp_path, host, signers):
    organiser = Organiser(tmp_path / "organiser", host, signers)
    yield organiser
    organiser.store.close()


def fresh_counts(tmp_path, host, now, name="fresh") -> list[tuple]:
    sync(paths_of(tmp_path, name), host.root / layout.PARTICIPANT_FILE, now=now)
    return stored(paths_of(tmp_path, name), host.root / layout.PARTICIPANT_FILE)


def test_a_page_removed_from_the_campaign_leaves_a_feed_participants_take(
    tmp_path, host, organiser
):
    organiser.publish(START)
    document = bundled_document()
    document["targets"] = [t for t in document["targets"] if t["id"] != "inwi"]
    document["reports"] = [r for r in document["reports"] if r.get("target") != "inwi"]
    later = START + timedelta(minutes=15)
    assert organiser.publish(later, document).left_out["inwi"] > 0
    taken = fresh_counts(tmp_path, host, later)
    assert taken and {row[0] for row in taken} == {"maroc-telecom", "meditel"}


def test_a_store_restored_from_a_backup_still_publishes_what_it_writes(tmp_path, host, organiser):
    """The organiser restores an older copy of their store (or publishes from a copy on another
    computer): its numbers of writes are not the folder's, so publish reads it all."""
    import shutil

    organiser.publish(START)
    organiser.store.close()
    shutil.copytree(organiser.folder, tmp_path / "backup")
    organiser.store = Store.open(organiser.folder)
    organiser.add(Observation("inwi", START - timedelta(days=9, seconds=11), 7))
    organiser.publish(START + timedelta(minutes=15))  # the folder's number moves on
    organiser.store.close()
    shutil.rmtree(organiser.folder)
    shutil.copytree(tmp_path / "backup", organiser.folder)  # the backup, restored
    organiser.store = Store.open(organiser.folder)
    late = Observation("meditel", START - timedelta(days=20, seconds=13), 5)
    organiser.add(late)
    later = START + timedelta(minutes=30)
    organiser.publish(later)
    assert (late.target, late.observed_at, 5, None) in fresh_counts(tmp_path, host, later)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda state: state["days"].update(dict.fromkeys(state["days"], "x")),
        lambda state: state["marker"].__setitem__(1, 10**30),
        lambda state: state["marker"].__setitem__(1, 2**61),
        lambda state: state.update(open_day=-(10**15)),
        lambda state: state.update(open_day=10**30),
        lambda state: state.update(days=["\0"] * 3),
        lambda state: state.update(superseded={"../../etc/passwd": 0, "targets/x": 0}),
    ],
)
def test_a_state_file_out_of_place_is_not_trusted(tmp_path, host, organiser, spoil):
    """``.publish-state.json`` changed by hand, by a tool or by someone with the folder: what
    publish signs next is what the store holds, and a new participant takes all of it."""
    from campaign_gui.core.feed.folder_state import STATE_FILE

    organiser.publish(START)
    path = host.root / STATE_FILE
    state = json.loads(path.read_text())
    spoil(state)
    path.write_text(json.dumps(state))
    late = Observation("meditel", START - timedelta(days=20, seconds=13), 5)
    organiser.add(late)
    later = START + timedelta(minutes=15)
    organiser.publish(later)
    taken = fresh_counts(tmp_path, host, later)
    assert (late.target, late.observed_at, 5, None) in taken
    assert len(taken) == count_observations(organiser.store, "ma-voip-2016")


def test_a_day_whose_file_went_missing_is_signed_with_the_id_of_what_it_holds(
    tmp_path, host, organiser
):
    """The state remembers a day's id; its file is gone from the folder and a count came in:
    the file written again carries the id of its counts, so participants who keep up take it."""
    organiser.publish(START)
    keeper = paths_of(tmp_path, "keeper")
    sync(keeper, host.root / layout.PARTICIPANT_FILE, now=START)
    day = next((host.root / "targets" / "counts").glob("*.2026-03-25.json"))
    day.unlink()
    late = Observation("meditel", datetime(2026, 3, 25, 7, 0, 13, tzinfo=UTC), 5)
    organiser.add(late)
    later = START + timedelta(minutes=15)
    organiser.publish(later)
    sync(keeper, host.root / layout.PARTICIPANT_FILE, now=later)
    assert stored(keeper, host.root / layout.PARTICIPANT_FILE) == fresh_counts(
        tmp_path, host, later
    )


def test_two_copies_syncing_at_once_never_move_the_trusted_versions_back(tmp_path, host, signers):
    """Copy B downloads, the organisers publish, copy A downloads and merges the newer feed,
    then B merges what it had: B's older update is not written over A's."""
    from campaign_gui.core import jobs

    from .feed_host import ZONE

    mine = host.root / layout.PARTICIPANT_FILE
    me = paths_of(tmp_path, "me")
    do_publish(host.root, signers, every_five_minutes(START), [host.url], now=START)
    sync(me, mine, now=START)
    later = START + timedelta(minutes=15)
    do_publish(host.root, signers, every_five_minutes(later), [host.url], now=later)
    copy_b = Workspace.open(me, mine, clock=FixedClock(later))
    update_b = jobs.fetch_feed(jobs.plan_sync(copy_b), later, ZONE)
    newest = later + timedelta(minutes=15)
    do_publish(host.root, signers, every_five_minutes(newest), [host.url], now=newest)
    sync(me, mine, now=newest)  # copy A
    copy_a_state = stored(me, mine)
    assert jobs.merge_feed(copy_b, update_b, later).counts == 0
    kept = copy_b.store.trusted_feed(copy_b.feed_key).metadata["timestamp"]
    copy_b.close()
    assert json.loads(kept)["signed"]["version"] == int(newest.timestamp())
    assert stored(me, mine) == copy_a_state


def test_a_computer_whose_clock_is_days_behind_is_told_to_check_it(tmp_path, host, signers):
    """Every count of the feed would look as if it came from the future: the participant is
    told to check their computer's date, not that the organisers made a mistake."""
    do_publish(host.root, signers, every_five_minutes(START), [host.url], now=START)
    with pytest.raises(FeedError) as refused:
        sync(
            paths_of(tmp_path, "behind"),
            host.root / layout.PARTICIPANT_FILE,
            now=START - timedelta(days=2),
        )
    assert refused.value.kind == "clock"
    assert "Check the computer's date, time and time zone" in refused.value.message
    assert "2026" in refused.value.message
