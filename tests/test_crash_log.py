"""What a crash leaves: the words said when no log could be written, and faulthandler's trace of
a hard crash, which the next start moves into the log."""

from __future__ import annotations

import subprocess
import sys

from campaign_gui.core.crash import FAULT_FILE, crash_message, log_uncaught
from campaign_gui.core.logs import LOG_FILE

from .conftest import offscreen_env


def test_the_message_without_a_log_names_the_exception_when_it_has_no_value(tmp_path):
    assert crash_message(None, tmp_path, KeyError, None).endswith("The cause: KeyError")


def _fails_deep_down() -> None:
    raise KeyError("page")


def test_an_exception_without_a_value_is_logged_by_its_type_with_its_traceback(caplog):
    try:
        _fails_deep_down()
    except KeyError as exc:
        tb = exc.__traceback__
    # threading.excepthook's arguments may carry no value: the log still names the exception.
    log_uncaught(KeyError, None, tb, "thread worker")
    assert "uncaught exception in thread worker" in caplog.text
    assert "_fails_deep_down" in caplog.text  # where it was raised
    assert caplog.text.rstrip().endswith("KeyError"), caplog.text
    assert "NoneType" not in caplog.text


# A start that dies in native code (here: reading address 0), then a start that goes on.
_FAULT_SCRIPT = """
import ctypes, sys
from pathlib import Path
from campaign_gui.core.crash import enable_fault_trace
from campaign_gui.core.logs import configure_logging
log_dir = Path(sys.argv[1])
configure_logging(log_dir)
enable_fault_trace(log_dir)
if sys.argv[2] == "crash":
    ctypes.string_at(0)
"""


def test_a_hard_crash_leaves_its_trace_and_the_next_start_logs_it(tmp_path):
    log_dir = tmp_path / "logs"

    def start(what: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", _FAULT_SCRIPT, str(log_dir), what],
            capture_output=True,
            text=True,
            env=offscreen_env(),
            timeout=60,
            cwd=tmp_path,  # a core dump, if the system keeps one, stays in the test's folder
        )

    crashed = start("crash")
    assert crashed.returncode != 0
    trace = (log_dir / FAULT_FILE).read_text(encoding="utf-8")
    assert "Fatal Python error" in trace or "fatal exception" in trace, trace
    assert "string_at" in trace  # where it died
    assert start("go on").returncode == 0
    log = (log_dir / LOG_FILE).read_text(encoding="utf-8")
    assert "the previous run stopped on a fatal error" in log
    assert "| " in log and "string_at" in log
    assert (log_dir / FAULT_FILE).read_text(encoding="utf-8") == ""  # kept once, in the log
