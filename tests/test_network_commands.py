"""The organiser's and the participant's commands end to end, each in its own process: a token
and a signing key in a real keyring backend, pages tracked from a Graph API emulator, a feed
published from one data dir and synced into another's, and no secret in any file the app wrote."""

from __future__ import annotations

import base64
import json
import os
import re
import sqlite3
import sys
from functools import partial
from pathlib import Path

import pytest
from werkzeug import Response

from .conftest import run_app
from .feed_host import FeedHost

TOKEN = "EAAGraphTokenForTests0123456789abcdef"
PAGES = {"maroctelecom": 2_450_000, "orangemaroc": 1_900_000, "inwi.ma": 1_800_000}
BUC_HEADER = "X-Business-Use-Case-Usage"


@pytest.fixture
def graph(httpserver):
    for page, likes in PAGES.items():
        httpserver.expect_request(
            f"/v23.0/{page}", headers={"Authorization": f"Bearer {TOKEN}"}
        ).respond_with_json({"fan_count": likes, "followers_count": likes + 1000, "id": "1"})
    return httpserver


def _counts(base) -> list[tuple]:
    with sqlite3.connect(base / "data" / "campaign.sqlite3") as db:
        return db.execute("SELECT target, likes FROM observations ORDER BY target").fetchall()


def test_organiser_tracks_publishes_and_a_participant_syncs(tmp_path, graph):
    organiser, participant = tmp_path / "organiser", tmp_path / "participant"
    organiser.mkdir()
    participant.mkdir()

    result = run_app(organiser, "token", "set", stdin=TOKEN + "\n")
    assert result.returncode == 0, result.stderr
    assert "keychain" in result.stdout
    assert "A token is set, kept in the keychain" in run_app(organiser, "token", "status").stdout
    result = run_app(organiser, "key", "generate")
    assert result.returncode == 0, result.stderr
    public = json.loads(result.stdout[result.stdout.index("{") :])
    assert next(iter(public.values()))["keytype"] == "ed25519"

    result = run_app(organiser, "track", "--once", "--api-base", graph.url_for("/"))
    assert result.returncode == 0, result.stderr
    assert "3 new counts recorded." in result.stdout
    assert _counts(organiser) == [
        ("inwi", 1_800_000),
        ("maroc-telecom", 2_450_000),
        ("meditel", 1_900_000),
    ]

    feed = tmp_path / "feed"
    feed.mkdir()
    host = FeedHost(feed)
    try:
        result = run_app(organiser, "publish", "--out", str(feed), "--url", host.url)
        assert result.returncode == 0, result.stderr
        assert "1 file of counts" in result.stdout
        participant_file = feed / "campaign.json"

        result = run_app(participant, "--campaign", str(participant_file), "sync")
        assert result.returncode == 0, result.stderr
        assert "3 page counts added or corrected." in result.stdout
        again = run_app(participant, "--campaign", str(participant_file), "sync")
        assert "0 page counts added or corrected." in again.stdout
        assert _counts(participant) == _counts(organiser)

        host.behaviour.status = 503
        before = _counts(participant)
        result = run_app(participant, "--campaign", str(participant_file), "sync")
        assert result.returncode == 1
        assert "could not be downloaded (addresses tried: 1)" in result.stderr
        assert _counts(participant) == before
    finally:
        host.close()

    secrets = (TOKEN, *_private_keys())
    for folder in (organiser, participant, feed):
        for path in folder.rglob("*"):
            if path.is_file() and "keyring" not in path.name:
                data = path.read_bytes()
                for secret in secrets:
                    assert secret.encode() not in data, path


def _keychain():
    """The keychain the commands use (keyrings.alt's file under the test's home, as
    PYTHON_KEYRING_BACKEND names it), opened now, so it looks there."""
    from campaign_gui.core.secrets import Secrets

    return Secrets()


def _private_keys() -> list[str]:
    """The feed's private keys as the commands left them in the keychain: base64 and hex."""
    from campaign_gui.core.feed.keys import LEGACY_KEY, ONLINE_KEY, ROOT_KEY

    keychain = _keychain()
    values = [keychain.get(name) for name in (ROOT_KEY, ONLINE_KEY, LEGACY_KEY)]
    assert any(values)
    return [form for v in values if v for form in (v, base64.b64decode(v).hex())]


def test_token_is_never_taken_from_an_argument(tmp_path):
    result = run_app(tmp_path, "token", "set", TOKEN)
    assert result.returncode == 2
    assert run_app(tmp_path, "token", "status").stdout.startswith("No token is set in ")


@pytest.mark.parametrize(
    "backend", ["keyring.backends.fail.Keyring", "keyring.backends.null.Keyring", "no.such.Keyring"]
)
def test_a_keychain_chosen_on_purpose_that_cannot_keep_a_secret_stops_with_a_message(
    tmp_path, backend
):
    result = run_app(tmp_path, "token", "set", stdin=TOKEN, PYTHON_KEYRING_BACKEND=backend)
    assert result.returncode == 1
    assert result.stderr == (
        "The keychain set by PYTHON_KEYRING_BACKEND cannot keep the secret. Correct the "
        "setting, or remove it to use the system keychain.\n"
    )


@pytest.mark.parametrize(
    ("code", "status", "says"),
    [(190, 401, "token has expired"), (10, 403, "Page Public Metadata Access")],
)
def test_track_stops_on_what_only_a_person_can_fix(tmp_path, httpserver, code, status, says):
    run_app(tmp_path, "token", "set", stdin=TOKEN)
    httpserver.expect_request("/v23.0/maroctelecom").respond_with_response(
        Response(json.dumps({"error": {"code": code, "message": "x"}}), status=status)
    )
    result = run_app(tmp_path, "track", "--once", "--api-base", httpserver.url_for("/"))
    assert result.returncode == 1
    assert says in result.stderr
    assert len(httpserver.log) == 1  # it stopped at the first page


def test_sync_without_a_feed_says_so(tmp_path):
    result = run_app(tmp_path, "sync")
    assert result.returncode == 1
    assert "no live data feed" in result.stderr


def test_a_page_without_a_like_count_has_its_followers_recorded(tmp_path, httpserver):
    run_app(tmp_path, "token", "set", stdin=TOKEN)
    httpserver.expect_request("/v23.0/maroctelecom").respond_with_json(
        {"fan_count": None, "followers_count": 2_600_000}
    )
    httpserver.expect_request("/v23.0/orangemaroc").respond_with_json({"fan_count": 1_900_000})
    httpserver.expect_request("/v23.0/inwi.ma").respond_with_json({"id": "1"})
    result = run_app(tmp_path, "track", "--once", "--api-base", httpserver.url_for("/"))
    assert result.returncode == 0, result.stderr
    # The organiser is told, page by page, what Facebook gave and what the graph makes of it.
    assert "Maroc Telecom: Facebook gave followers only; this campaign counts likes" in (
        result.stderr
    )
    assert "Méditel (now Orange Maroc): Facebook gave likes only; the graph counts them." in (
        result.stderr
    )
    assert "inwi: Facebook gave neither likes nor followers; nothing was recorded." in (
        result.stderr
    )
    with sqlite3.connect(tmp_path / "data" / "campaign.sqlite3") as db:
        rows = db.execute("SELECT target, likes, followers FROM observations ORDER BY 1").fetchall()
    assert rows == [("maroc-telecom", None, 2_600_000), ("meditel", 1_900_000, None)]


def test_a_token_of_more_than_one_line_is_refused_whole(tmp_path):
    result = run_app(tmp_path, "token", "set", stdin="EAAfirstline123456789\nsecondline\n")
    assert result.returncode == 1
    assert "one line" in result.stderr
    assert run_app(tmp_path, "token", "status").stdout.startswith("No token is set in ")
    pasted_with_blank_lines = run_app(tmp_path, "token", "set", stdin="\r\nEAAtoken123456789\r\n\n")
    assert pasted_with_blank_lines.returncode == 0, pasted_with_blank_lines.stderr
    from campaign_gui.core.secrets import MAX_SECRET

    longest = "B" * MAX_SECRET  # a second line right after the longest token is refused too
    result = run_app(tmp_path, "token", "set", stdin=longest + "\r\nSECONDLINE\n")
    assert result.returncode == 1 and "one line" in result.stderr


def test_a_newer_campaign_file_names_a_new_host(tmp_path):
    """The organisers moved host: they publish again naming the new address and copy the folder
    there; a participant who synced from the old host follows the file they are given now."""
    organiser, participant, feed = (
        tmp_path / "organiser",
        tmp_path / "participant",
        tmp_path / "feed",
    )
    for folder in (organiser, participant, feed):
        folder.mkdir()
    old, new = FeedHost(feed), FeedHost(feed)
    try:
        run_app(organiser, "key", "generate")
        result = run_app(organiser, "publish", "--out", str(feed), "--url", old.url)
        assert result.returncode == 0, result.stderr
        given_first = tmp_path / "first.json"
        given_first.write_bytes((feed / "campaign.json").read_bytes())
        first = run_app(participant, "--campaign", str(given_first), "sync")
        assert first.returncode == 0, first.stderr
        result = run_app(organiser, "publish", "--out", str(feed), "--url", new.url)
        assert result.returncode == 0, result.stderr
        old.behaviour.status = 503  # the old host is gone
        moved = run_app(participant, "--campaign", str(feed / "campaign.json"), "sync")
        assert moved.returncode == 0, moved.stderr
        assert ("/metadata/timestamp.json", 200) in new.requests
    finally:
        old.close()
        new.close()


def _shown_keys(stdout: str) -> tuple[str, str | None]:
    """The root key id and the online key id (None: the root key itself) a key command printed."""
    root = json.loads(stdout[stdout.index("{") :])
    assert next(iter(root.values()))["keytype"] == "ed25519"
    online = re.search(
        r"Online key \(it signs the data at every publish\): ([0-9a-f]{64})\n", stdout
    )
    return next(iter(root)), online[1] if online else None


def test_key_commands_print_public_parts_only(tmp_path):
    from campaign_gui.core.feed.keys import load_signers

    printed = []
    generated = run_app(tmp_path, "key", "generate")
    printed.append(generated)
    assert generated.returncode == 0, generated.stderr
    assert "A new root key and a new online key are kept in the keychain" in generated.stdout
    root, online = _shown_keys(generated.stdout)
    kept = load_signers(_keychain())
    assert (root, online) == (kept.root.public_key.keyid, kept.online.public_key.keyid)
    private_before = _private_keys()

    again = run_app(tmp_path, "key", "generate")
    printed.append(again)
    assert again.returncode == 1
    assert "campaign-gui key rotate" in again.stderr
    assert _private_keys() == private_before

    shown = run_app(tmp_path, "key", "show")
    printed.append(shown)
    assert shown.returncode == 0, shown.stderr
    assert _shown_keys(shown.stdout) == (root, online)

    rotated = run_app(tmp_path, "key", "rotate")
    printed.append(rotated)
    assert rotated.returncode == 0, rotated.stderr
    new = load_signers(_keychain()).online.public_key.keyid
    assert new != online
    assert rotated.stdout.startswith("A new online key is kept in the keychain set by ")
    assert f": {new}\n" in rotated.stdout
    assert f"It replaces the online key {online}.\n" in rotated.stdout
    assert "Publish now" in rotated.stdout
    shown = run_app(tmp_path, "key", "show")
    printed.append(shown)
    assert _shown_keys(shown.stdout) == (root, new)

    for secret in {*private_before, *_private_keys()}:
        for result in printed:
            assert secret not in result.stdout + result.stderr


def test_a_legacy_keychain_publishes_then_rotates_and_participants_follow(tmp_path):
    """A keychain from before the split holds one key, "feed-signing-key": it publishes into the
    folder it made, then ``key rotate`` and a publish move the feed to an online key of its own;
    a participant holding the first campaign file follows."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from campaign_gui.core.feed.keys import LEGACY_KEY

    organiser, participant, feed = (tmp_path / name for name in ("org", "participant", "feed"))
    for folder in (organiser, participant, feed):
        folder.mkdir()
    private = Ed25519PrivateKey.generate()
    _keychain().set(LEGACY_KEY, base64.b64encode(private.private_bytes_raw()).decode())
    shown = run_app(organiser, "key", "show")
    assert shown.returncode == 0, shown.stderr
    assert "Online key: the root key itself" in shown.stdout
    legacy, online = _shown_keys(shown.stdout)
    assert online is None
    host = FeedHost(feed)
    try:
        result = run_app(organiser, "publish", "--out", str(feed), "--url", host.url)
        assert result.returncode == 0, result.stderr
        assert "of the root" not in result.stdout
        given = tmp_path / "given.json"
        given.write_bytes((feed / "campaign.json").read_bytes())
        first = run_app(participant, "--campaign", str(given), "sync")
        assert first.returncode == 0, first.stderr

        rotated = run_app(organiser, "key", "rotate")
        assert rotated.returncode == 0, rotated.stderr
        assert f"It replaces the online key {legacy}." in rotated.stdout
        result = run_app(organiser, "publish", "--out", str(feed), "--url", host.url)
        assert result.returncode == 0, result.stderr
        assert "Version 2 of the root names the new online key" in result.stdout
        root, online = _shown_keys(run_app(organiser, "key", "show").stdout)
        assert root == legacy and online not in (None, legacy)
        roles = json.loads((feed / "metadata" / "root.json").read_text())["signed"]["roles"]
        assert {name: role["keyids"] for name, role in roles.items()} == {
            "root": [legacy],
            "targets": [online],
            "snapshot": [online],
            "timestamp": [online],
        }

        host.requests.clear()
        again = run_app(participant, "--campaign", str(given), "sync")
        assert again.returncode == 0, again.stderr
        assert ("/metadata/2.root.json", 200) in host.requests
    finally:
        host.close()
    for result in (shown, rotated):
        for secret in _private_keys():
            assert secret not in result.stdout


# -- Meta asks to slow down (issue 15, case 7) -----------------------------------------------------


def _app_at_its_limit(httpserver) -> None:
    """The first page answers, saying the app has used all its calls; the others would answer."""
    for i, (page, likes) in enumerate(PAGES.items()):
        headers = {"X-App-Usage": '{"call_count": 100, "total_cputime": 8, "total_time": 9}'}
        httpserver.expect_request(f"/v23.0/{page}").respond_with_response(
            Response(
                json.dumps({"fan_count": likes, "followers_count": likes}),
                content_type="application/json",
                headers=headers if i == 0 else {},
            )
        )


def test_track_once_stops_the_round_at_the_usage_limit_and_says_when_to_try_again(
    tmp_path, httpserver
):
    run_app(tmp_path, "token", "set", stdin=TOKEN)
    _app_at_its_limit(httpserver)
    result = run_app(tmp_path, "track", "--once", "--api-base", httpserver.url_for("/"))
    assert result.returncode == 75, result.stderr  # documented: cut short, try again later
    assert len(httpserver.log) == 1  # the pages not read were not requested
    assert "1 new count recorded." in result.stdout
    assert _counts(tmp_path) == [("maroc-telecom", 2_450_000)]
    said = (
        "Meta asks to slow down (your Meta app used 100% of the calls it is allowed): the pages "
        "not read yet are "
    )
    assert said in result.stderr
    assert re.search(
        r"the app will not read them on its own\. Try again at .+, in 60 minutes\.", result.stderr
    )


def test_track_once_refused_with_code_17_says_the_truth_of_a_one_shot_run(tmp_path, httpserver):
    run_app(tmp_path, "token", "set", stdin=TOKEN)
    httpserver.expect_request("/v23.0/maroctelecom").respond_with_response(
        Response(json.dumps({"error": {"code": 17, "message": "User request limit"}}), status=400)
    )
    result = run_app(tmp_path, "track", "--once", "--api-base", httpserver.url_for("/"))
    assert result.returncode == 75, result.stderr
    assert len(httpserver.log) == 1
    assert "tracking waits and carries on by itself" not in result.stderr
    assert "Meta asks to slow down (too many calls, error 17)" in result.stderr
    assert re.search(r"Try again at .+, in 1 minute\.", result.stderr)  # 30 to 60 s of back-off
    log_text = (tmp_path / "data" / "logs" / "campaign-gui.log").read_text(encoding="utf-8")
    assert "code 17" in log_text and "User request limit" in log_text


def test_track_says_how_long_it_waits_and_why_before_waiting(
    tmp_path, httpserver, clock, monkeypatch, capsys
):
    """The command's loop, run in this process on the test's clock; its sleep records what was
    said before it, then ends the run (as Ctrl+C would) instead of waiting an hour."""
    from campaign_gui import cli
    from campaign_gui.cli import organiser
    from campaign_gui.core.secrets import GRAPH_TOKEN

    _keychain().set(GRAPH_TOKEN, TOKEN)
    _app_at_its_limit(httpserver)
    slept = []

    def sleep(seconds: float) -> None:
        slept.append((seconds, capsys.readouterr()))
        raise KeyboardInterrupt

    monkeypatch.setitem(organiser.COMMANDS, "track", partial(organiser.track, sleep=sleep))
    argv = ["--data-dir", str(tmp_path / "data"), "--config-dir", str(tmp_path / "config")]
    code = cli.main([*argv, "track", "--api-base", httpserver.url_for("/")], clock=clock)
    assert code == 130
    ((seconds, printed),) = slept
    assert seconds == 3600
    assert len(httpserver.log) == 1
    assert (  # 10:30 in Casablanca, the clock's zone, plus the hour Meta counts usage over
        "Meta asks to slow down (your Meta app used 100% of the calls it is allowed): the next "
        "round is at "
        "11:30\u202fAM, in 60 minutes.\n"
    ) in printed.err
    assert "1 new count recorded." in printed.out


# -- answers that are not a page's count (issue 15, case 8) ----------------------------------------

NOT_COUNTS = {
    "negative": ('{"fan_count": -1, "followers_count": 5}', "en", "(fan_count)", "-1, outside"),
    "too large": (json.dumps({"fan_count": 10**30}), "en", "(fan_count)", "1" + "0" * 30),
    "a string": (
        '{"fan_count": "2100000", "followers_count": 2100000}',
        "fr",
        "a répondu pour maroctelecom autre chose que les compteurs d’une page",
        "fan_count is a str: '2100000'",
    ),
    "cut short": (
        '{"fan_count": 2450000, "followers_cou',
        "en",
        "(its answer is not a complete JSON object)",
        "not JSON",
    ),
}


@pytest.mark.parametrize(("body", "lang", "says", "cause"), NOT_COUNTS.values(), ids=NOT_COUNTS)
def test_track_says_an_answer_is_not_a_count_and_keeps_none_of_it(
    tmp_path, httpserver, body, lang, says, cause
):
    run_app(tmp_path, "token", "set", stdin=TOKEN)
    httpserver.expect_request("/v23.0/maroctelecom").respond_with_data(
        body, content_type="application/json"
    )
    for page in ("orangemaroc", "inwi.ma"):
        httpserver.expect_request(f"/v23.0/{page}").respond_with_json({"fan_count": PAGES[page]})
    result = run_app(
        tmp_path, "--lang", lang, "track", "--once", "--api-base", httpserver.url_for("/")
    )
    assert result.returncode == 0, result.stderr  # the other two pages were read
    assert says in result.stderr
    if lang == "en":
        assert "answered something that is not a page's count for maroctelecom" in result.stderr
    assert "could not be reached" not in result.stderr
    assert "joindre" not in result.stderr
    assert _counts(tmp_path) == [("inwi", 1_800_000), ("meditel", 1_900_000)]  # none of it kept
    log_text = (tmp_path / "data" / "logs" / "campaign-gui.log").read_text(encoding="utf-8")
    assert cause in log_text


def test_track_once_at_the_limit_after_the_last_page_ran_whole(tmp_path, httpserver):
    run_app(tmp_path, "token", "set", stdin=TOKEN)
    for page, likes in PAGES.items():
        at_limit = {BUC_HEADER: json.dumps({"1": [{"estimated_time_to_regain_access": 25}]})}
        httpserver.expect_request(f"/v23.0/{page}").respond_with_response(
            Response(
                json.dumps({"fan_count": likes}),
                content_type="application/json",
                headers=at_limit if page == "inwi.ma" else {},
            )
        )
    result = run_app(tmp_path, "track", "--once", "--api-base", httpserver.url_for("/"))
    assert result.returncode == 0, result.stderr
    assert "3 new counts recorded." in result.stdout
    assert "every page was read, but run it again no sooner than" in result.stderr
    assert result.stderr.rstrip().endswith(", in 25 minutes.")


def test_publish_leaves_out_a_dropped_page_and_participants_take_the_feed(tmp_path):
    """The organisers tracked inwi, then dropped it from the campaign: publish says it left
    inwi's counts out, and the feed it reports as published is one participants take."""
    from .feed_host import bundled_document

    organiser, participant, feed = (tmp_path / n for n in ("organiser", "participant", "feed"))
    for folder in (organiser, participant, feed):
        folder.mkdir()
    counts = organiser / "counts.csv"
    counts.write_text(
        "target,observed_at,likes\n"
        "inwi,2026-11-20T10:00:00+01:00,1800000\n"
        "meditel,2026-11-20T10:00:00+01:00,1900000\n",
        encoding="utf-8",
    )
    assert run_app(organiser, "import", str(counts)).returncode == 0
    document = bundled_document()
    document["targets"] = [t for t in document["targets"] if t["id"] != "inwi"]
    document["reports"] = [r for r in document["reports"] if r.get("target") != "inwi"]
    campaign = organiser / "campaign.json"
    campaign.write_text(json.dumps(document), encoding="utf-8")
    host = FeedHost(feed)
    try:
        run_app(organiser, "key", "generate")
        result = run_app(
            organiser, "--campaign", str(campaign), "publish", "--out", str(feed), "--url", host.url
        )
        assert result.returncode == 0, result.stderr
        assert "Left out 1 count of the page inwi" in result.stderr
        assert "Published the feed: 1 file of counts." in result.stdout
        written = sum(1 for p in feed.rglob("*") if p.is_file())
        assert f"{written} files written in {feed}." in result.stdout
        synced = run_app(participant, "--campaign", str(feed / "campaign.json"), "sync")
        assert synced.returncode == 0, synced.stderr
        assert "1 page count added or corrected." in synced.stdout
    finally:
        host.close()


# -- which keychain: one chosen on purpose, or the system's; never a plain file by default --------


@pytest.fixture
def nothing_chosen(monkeypatch) -> Path:
    """The test's home with no keychain chosen (no PYTHON_KEYRING_BACKEND, no keyringrc.cfg) and
    no system keychain running (no D-Bus session bus), keyrings.alt installed all the same; the
    home, to look in afterwards."""
    if sys.platform != "linux":
        pytest.skip("elsewhere the system keychain is always there (and real)")
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    home = Path(os.environ["HOME"])
    assert Path(os.environ["XDG_CONFIG_HOME"]) == home == Path(os.environ["XDG_DATA_HOME"])
    return home


def _keyring_files(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*.cfg")]


@pytest.mark.parametrize(
    ("command", "stdin"), [(("key", "generate"), None), (("token", "set"), TOKEN + "\n")]
)
def test_no_keychain_chosen_and_no_system_keychain_refuses(
    tmp_path, nothing_chosen, command, stdin
):
    result = run_app(tmp_path, *command, stdin=stdin)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "No system keychain can be used on this computer, so the secret cannot be kept safely."
    )
    assert "kept" not in result.stdout and "{" not in result.stdout
    assert _keyring_files(nothing_chosen, tmp_path) == []
    assert not (nothing_chosen / "python_keyring").exists()


def test_secrets_an_earlier_version_kept_in_a_plain_file_are_not_lost(tmp_path, nothing_chosen):
    """Before the allow-list, a venv with the tests' packages kept the keys in keyrings.alt's
    file: the refusal says where they are and how to use them on purpose, which then works."""
    earlier = nothing_chosen / "python_keyring" / "keyring_pass.cfg"
    with_file = {"PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}
    assert run_app(tmp_path, "key", "generate", **with_file).returncode == 0
    assert earlier.is_file()
    refused = run_app(tmp_path, "key", "show")
    assert refused.returncode == 1
    assert f"Secrets kept by an earlier version are in a plain file, {earlier}" in refused.stderr
    assert "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring" in refused.stderr
    assert run_app(tmp_path, "key", "show", **with_file).returncode == 0


def test_the_refusal_is_in_the_users_language(tmp_path, nothing_chosen):
    result = run_app(tmp_path, "--lang", "fr", "token", "set", stdin=TOKEN)
    assert result.returncode == 1
    assert "Aucun trousseau du système n’est utilisable sur cet ordinateur" in result.stderr
    assert _keyring_files(nothing_chosen, tmp_path) == []


def test_a_keychain_named_in_keyringrc_is_chosen_on_purpose(tmp_path, nothing_chosen):
    settings = nothing_chosen / "python_keyring" / "keyringrc.cfg"
    settings.parent.mkdir()
    settings.write_text("[backend]\ndefault-keyring = keyrings.alt.file.PlaintextKeyring\n")
    plain_file = nothing_chosen / "python_keyring" / "keyring_pass.cfg"
    where = (
        f"in the keychain set by {settings}: keyrings.alt.file.PlaintextKeyring "
        f"(a plain file, {plain_file})"
    )

    result = run_app(tmp_path, "token", "set", stdin=TOKEN + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"The token is kept {where}.\n"
    assert base64.b64encode(TOKEN.encode()).decode() in plain_file.read_text()
    status = run_app(tmp_path, "token", "status")
    assert status.stdout == f"A token is set, kept {where}.\n"


def test_status_and_show_name_the_keychain(tmp_path):
    """The tests' own choice (conftest): PYTHON_KEYRING_BACKEND names keyrings.alt's file."""
    plain_file = Path(os.environ["XDG_DATA_HOME"]) / "python_keyring" / "keyring_pass.cfg"
    where = (
        "in the keychain set by PYTHON_KEYRING_BACKEND: keyrings.alt.file.PlaintextKeyring "
        f"(a plain file, {plain_file})"
    )
    assert run_app(tmp_path, "token", "status").stdout == f"No token is set {where}.\n"
    run_app(tmp_path, "token", "set", stdin=TOKEN)
    assert run_app(tmp_path, "token", "status").stdout == f"A token is set, kept {where}.\n"
    generated = run_app(tmp_path, "key", "generate")
    assert generated.stdout.startswith(f"A new root key and a new online key are kept {where}.\n")
    shown = run_app(tmp_path, "key", "show")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"The feed's keys are kept {where}.\n")
    rotated = run_app(tmp_path, "key", "rotate")
    assert rotated.stdout.startswith(f"A new online key is kept {where}: ")


def test_track_once_with_no_count_recorded_exits_1(tmp_path, httpserver):
    """Every page answered, but none with a count: the run did not do its job (README)."""
    assert run_app(tmp_path, "token", "set", stdin=TOKEN + "\n").returncode == 0
    for page in PAGES:
        httpserver.expect_request(f"/v23.0/{page}").respond_with_json({"id": "1"})
    result = run_app(tmp_path, "track", "--once", "--api-base", httpserver.url_for("/"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 new counts recorded." in result.stdout
    assert _counts(tmp_path) == []
