"""Settings: any file at all can be read (an unreadable one is kept aside, the defaults used), and
every value is checked for its exact type and range, each falling back alone to its default."""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from campaign_gui import __version__
from campaign_gui.core import settings as settings_module
from campaign_gui.core.clock import FixedClock
from campaign_gui.core.limits import MAX_SETTINGS_BYTES
from campaign_gui.core.settings import SETTINGS_FILE, Settings, load_settings, save_settings

from .conftest import run_app

NOW = datetime(2024, 3, 1, 12, 30, 5, tzinfo=UTC)
KEPT = f"{SETTINGS_FILE}.broken-20240301T123005Z"
DEEP = b"[" * 200_000 + b"]" * 200_000  # more than the size limit
RECURSING = b"[" * 20_000 + b"]" * 20_000  # within the size limit: json's RecursionError
GOOD = {
    "language": "fr",
    "window_geometry": base64.b64encode(bytes(range(66))).decode("ascii"),
    "reminders": False,
    "remind_evening_before": False,
    "evening_time": "21:15",
    "remind_morning_of": False,
    "morning_time": "07:05",
    "widget_pinned": True,
    "widget_x": 1200,
    "widget_y": -300,
    "start_at_login": True,
    "told_about_tray": True,
    "feed_sync": False,
    "feed_interval_minutes": 60,
    "feed_url": "https://mirror.example.org/feed/",
    "update_checks": False,
    "release_url": "https://mirror.example.org/releases/",
    "tracking": True,
    "track_interval_minutes": 5,
    "graph_api_version": "v24.0",
}


def _write(config: Path, content: bytes) -> Path:
    config.mkdir(parents=True, exist_ok=True)
    path = config / SETTINGS_FILE
    path.write_bytes(content)
    return path


def _kept(config: Path) -> list[str]:
    return sorted(p.name for p in config.iterdir() if ".broken-" in p.name)


def test_saved_settings_come_back_as_they_were(tmp_path):
    save_settings(tmp_path, Settings(**GOOD))
    assert asdict(load_settings(tmp_path)) == GOOD


def test_no_settings_file_gives_the_defaults_and_writes_nothing(tmp_path):
    assert load_settings(tmp_path / "config") == Settings()
    assert not (tmp_path / "config").exists()


UNREADABLE = {
    "not JSON": (b'{"language": "fr",', "not JSON"),
    "a list": (b'["fr"]', "not a JSON object"),
    "a string": (b'"fr"', "not a JSON object"),
    "too big": (b" " * MAX_SETTINGS_BYTES + b"{}", "more than"),
    "200,000 levels deep": (DEEP, "more than"),
    "20,000 levels deep": (RECURSING, "nested too deeply"),
    "not UTF-8": (b'{"language": "fr\xff"}', "not UTF-8"),
    "NUL bytes": (b'{"language": "fr"}\0\0', "NUL"),
    "a number too long": (b'{"widget_x": ' + b"9" * 5000 + b"}", "not JSON"),
}


@pytest.mark.parametrize("content, cause", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_an_unreadable_file_is_kept_aside_and_the_defaults_used(tmp_path, caplog, content, cause):
    _write(tmp_path, content)
    with caplog.at_level(logging.WARNING, "campaign_gui.core.settings"):
        assert load_settings(tmp_path, now=NOW) == Settings()
    assert not (tmp_path / SETTINGS_FILE).exists()
    assert (tmp_path / KEPT).read_bytes() == content  # kept whole, under its UTC time
    assert cause in caplog.text and KEPT in caplog.text


def test_a_folder_or_a_pipe_in_place_of_the_file_is_kept_aside(tmp_path):
    (tmp_path / SETTINGS_FILE).mkdir()
    assert load_settings(tmp_path, now=NOW) == Settings()
    assert (tmp_path / KEPT).is_dir()
    if hasattr(os, "mkfifo"):  # never opened for a blocking read
        os.mkfifo(tmp_path / SETTINGS_FILE)
        assert load_settings(tmp_path, now=NOW) == Settings()
        assert _kept(tmp_path) == [KEPT, f"{KEPT}-2"]


def test_the_size_is_checked_before_anything_is_read(tmp_path, monkeypatch):
    with (tmp_path / SETTINGS_FILE).open("wb") as huge:
        huge.truncate(10 * 1024**3)  # 10 GB, sparse
    monkeypatch.setattr(settings_module.os, "read", lambda *a: pytest.fail("read a huge file"))
    assert load_settings(tmp_path, now=NOW) == Settings()
    assert _kept(tmp_path) == [KEPT]


def test_an_earlier_kept_file_is_never_replaced(tmp_path):
    (tmp_path / KEPT).write_text("the first one", encoding="utf-8")
    for n in range(3):
        _write(tmp_path, f"broken {n}".encode())
        load_settings(tmp_path, now=NOW)
    assert _kept(tmp_path) == [KEPT, f"{KEPT}-2", f"{KEPT}-3", f"{KEPT}-4"]
    assert (tmp_path / KEPT).read_text(encoding="utf-8") == "the first one"
    assert (tmp_path / f"{KEPT}-4").read_text(encoding="utf-8") == "broken 2"


def test_the_kept_file_is_named_by_the_clock_given(tmp_path):
    _write(tmp_path, b"nonsense")
    load_settings(tmp_path, now=FixedClock(datetime(2031, 12, 31, 23, 59, 59, tzinfo=UTC)))
    assert _kept(tmp_path) == [f"{SETTINGS_FILE}.broken-20311231T235959Z"]


def test_settings_another_copy_wrote_meanwhile_are_left_alone(tmp_path, monkeypatch):
    _write(tmp_path, b"nonsense")
    reader = settings_module._read_object

    def read_while_another_copy_saves(path):
        try:
            return reader(path)
        finally:
            save_settings(tmp_path, Settings(language="fr"))  # a new file, renamed into place

    monkeypatch.setattr(settings_module, "_read_object", read_while_another_copy_saves)
    assert load_settings(tmp_path, now=NOW) == Settings()
    assert _kept(tmp_path) == []
    monkeypatch.undo()
    assert load_settings(tmp_path).language == "fr"


def test_a_config_dir_that_is_a_file_gives_the_defaults(tmp_path):
    (tmp_path / "config").write_text("not a folder", encoding="utf-8")
    assert load_settings(tmp_path / "config", now=NOW) == Settings()
    assert (tmp_path / "config").read_text(encoding="utf-8") == "not a folder"


BAD_VALUES = [
    ("language", "xx"),
    ("language", "qps"),
    ("language", 1),
    ("language", None),
    ("window_geometry", "<b>not base64</b>"),
    ("window_geometry", "AAA"),
    ("window_geometry", "A" * 8192),
    ("window_geometry", ["AAAA"]),
    ("reminders", 1),
    ("reminders", "true"),
    ("reminders", None),
    ("evening_time", "24:00"),
    ("evening_time", "9:00"),
    ("evening_time", "20:00:00"),
    ("evening_time", "٢٠:٠٠"),
    ("evening_time", 2000),
    ("morning_time", "09:60"),
    ("morning_time", "09:00\n"),
    ("widget_x", 1e30),
    ("widget_x", 10**30),
    ("widget_x", 2**31),
    ("widget_x", 100_001),
    ("widget_x", 120.0),
    ("widget_x", True),
    ("widget_x", "120"),
    ("widget_y", -100_001),
    ("widget_y", float("nan")),
    ("widget_y", {"x": 1}),
    ("widget_pinned", 0),
    ("told_about_tray", "yes"),
    ("feed_interval_minutes", 1),
    ("feed_interval_minutes", 10**30),
    ("feed_url", "http://mirror.example.org/"),
    ("feed_url", "javascript:alert(1)"),
    ("feed_url", "https://x/" + "a" * 5000),
    ("feed_url", "http://127.0.0.1:8765/?x=1"),
    ("feed_url", "https://example.org/\u202e/gro.elpmaxe"),
    ("feed_url", "https://user:pw@example.org/"),
    ("release_url", "http://mirror.example.org/"),
    ("release_url", "https://example.org/?x=1"),
    ("track_interval_minutes", 4),
    ("track_interval_minutes", 0),
    ("graph_api_version", "23.0"),
    ("graph_api_version", "v23.0/../me"),
]


@pytest.mark.parametrize("name, value", BAD_VALUES)
def test_a_bad_value_falls_back_to_its_default_alone(tmp_path, caplog, name, value):
    _write(tmp_path, json.dumps({**GOOD, name: value}).encode())
    with caplog.at_level(logging.WARNING, "campaign_gui.core.settings"):
        loaded = load_settings(tmp_path, now=NOW)
    default = next(f.default for f in fields(Settings) if f.name == name)
    assert asdict(loaded) == {**GOOD, name: default}
    assert f"setting {name}" in caplog.text
    assert (tmp_path / SETTINGS_FILE).exists() and _kept(tmp_path) == []


@pytest.mark.parametrize(
    "name, value",
    [
        ("language", ""),
        ("language", "ary"),
        ("language", "en"),
        ("window_geometry", ""),
        ("evening_time", "00:00"),
        ("morning_time", "23:59"),
        ("widget_x", -1),
        ("widget_x", 100_000),
        ("widget_y", -100_000),
    ],
)
def test_a_good_value_is_kept(tmp_path, name, value):
    _write(tmp_path, json.dumps({**GOOD, name: value}).encode())
    assert getattr(load_settings(tmp_path), name) == value


def test_unknown_keys_are_ignored_and_missing_ones_default(tmp_path, caplog):
    _write(tmp_path, b'{"language": "ary", "from_a_later_version": [1, 2]}')
    with caplog.at_level(logging.WARNING, "campaign_gui.core.settings"):
        assert load_settings(tmp_path) == Settings(language="ary")
    assert caplog.text == ""


def test_a_byte_order_mark_is_fine(tmp_path):
    _write(tmp_path, b'\xef\xbb\xbf{"language": "fr"}')
    assert load_settings(tmp_path).language == "fr"


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["", "ary", "fr", "en", "20:00", "09:30", "AAAA", "-1"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
NAMES = [f.name for f in fields(Settings)]


@hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=8), JSON, max_size=14))
def test_whatever_the_file_holds_every_setting_is_valid(tmp_path_factory, raw):
    config = tmp_path_factory.mktemp("any")
    _write(config, json.dumps(raw).encode())
    loaded = load_settings(config, now=NOW)
    for f in fields(Settings):
        value = getattr(loaded, f.name)
        assert type(value) is type(f.default)
        assert value == f.default or f.metadata["valid"] is None or f.metadata["valid"](value)
        if f.name in raw and value != f.default:
            assert value == raw[f.name]


@hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_at_all_give_settings(tmp_path_factory, content):
    config = tmp_path_factory.mktemp("bytes")
    _write(config, content)
    assert isinstance(load_settings(config, now=NOW), Settings)


@pytest.mark.parametrize("content", [DEEP, RECURSING], ids=["200,000 deep", "20,000 deep"])
def test_the_version_is_printed_whatever_the_settings_file(tmp_path, content):
    """And the file is left where it is: asking for the version changes nothing (the next run
    that goes ahead keeps it aside)."""
    _write(tmp_path / "config", content)
    result = run_app(tmp_path, "--version")
    assert result.returncode == 0, result.stderr
    assert __version__ in result.stdout
    assert "Traceback" not in result.stderr
    assert (tmp_path / "config" / SETTINGS_FILE).read_bytes() == content
    assert not _kept(tmp_path / "config")
    assert run_app(tmp_path, "days").returncode == 0
    [kept] = _kept(tmp_path / "config")
    assert (tmp_path / "config" / kept).read_bytes() == content


def test_a_command_works_whatever_the_settings_file(tmp_path):
    _write(tmp_path / "config", b'{"language": "fr", "widget_x": 1e30}\0')
    result = run_app(tmp_path, "days")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert _kept(tmp_path / "config")


@pytest.mark.parametrize("position", [1e30, 10**30, 2**31, -(2**40)])
def test_a_pinned_widget_far_off_screen_does_not_stop_the_app(qtbot, monkeypatch, paths, position):
    from campaign_gui.ui import app_wiring

    monkeypatch.setattr(app_wiring, "tray_available", lambda: True)
    _write(
        paths.config_dir,
        json.dumps({"widget_pinned": True, "widget_x": position, "widget_y": position}).encode(),
    )
    companion = app_wiring.build_app(paths, None, language="en", clock=FixedClock(NOW))
    try:
        qtbot.addWidget(companion.window)
        with qtbot.waitSignal(companion.window.loaded, timeout=15000):
            pass
        assert companion.window.snapshot is not None
        assert companion.widget.pinned  # pinned where it was never placed: onto a screen
    finally:
        companion.window.quit_app()
        companion.widget.close()


def test_core_settings_never_need_qt():
    code = "import sys, campaign_gui.core.settings; print('PySide6' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
