"""An export never replaces a program, the app's interpreter or anything in its installation, even
through a link; a link to an ordinary file is still written through. The same rule holds for the
command line and for every export of the window (CSV, calendar, picture).

Every target here is under the test's tmp_path, except the interpreter the tests run on (reached
through a link in tmp_path) and a new file name inside the package folder: both must be refused
before anything is written, and the tests check that nothing changed.
"""

from __future__ import annotations

import hashlib
import os
import pty
import secrets
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

import campaign_gui
from campaign_gui.ui import file_dialogs

from .conftest import app_command, offscreen_env, run_app

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX links and modes")

PACKAGE_DIR = Path(campaign_gui.__file__).resolve().parent
PROGRAM = "#!/bin/sh\necho 'the real program'\n"


def _fingerprint(path: Path) -> tuple[str, int, int, int]:
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_ino, st.st_mode


@pytest.fixture
def program(tmp_path: Path) -> Path:
    """A program installed in a fake ~/.local/bin: an executable file (0o755)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    path = bin_dir / "campaign-gui"
    path.write_text(PROGRAM, encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture(scope="module")
def throwaway_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An interpreter of its own (a venv made with ``--copies``) that sees the test venv's
    packages: the app these tests attack runs on it, so that a broken guard overwrites this copy,
    never the interpreter of the machine (CI runs as root)."""
    venv = tmp_path_factory.mktemp("throwaway") / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--copies", "--without-pip", str(venv)], check=True
    )
    (site_packages,) = venv.glob("lib/python*/site-packages")
    real = sysconfig.get_paths()["purelib"]
    (site_packages / "tests_venv.pth").write_text(f"import site; site.addsitedir({real!r})\n")
    return venv / "bin" / "python"


@pytest.fixture
def interpreter(tmp_path: Path, throwaway_python: Path, monkeypatch: pytest.MonkeyPatch):
    """A link in tmp_path to the interpreter the app runs on (as a venv's ``python3`` is): the
    throwaway one, for the app in this process (``sys.executable``) and the one it starts."""
    monkeypatch.setattr(sys, "executable", str(throwaway_python))
    before = _fingerprint(throwaway_python)
    link = tmp_path / "venv-python3"
    link.symlink_to(throwaway_python)
    yield link
    assert _fingerprint(throwaway_python) == before, f"{throwaway_python} was changed"


@pytest.fixture
def in_package(tmp_path: Path):
    """A file name inside the package folder that does not exist; removed if a test made it."""
    path = PACKAGE_DIR / f"exported-{secrets.token_hex(4)}.png"
    assert not path.exists()
    yield path
    if path.exists():
        path.unlink()
        pytest.fail(f"{path} was written")


# -- the command line ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "png"])
def test_export_never_replaces_a_program_through_a_link(tmp_path, program, fmt):
    link = tmp_path / "out-link"
    link.symlink_to(program)
    before = _fingerprint(program)
    for target in (link, program):
        result = run_app(tmp_path, "export", "--format", fmt, "-o", str(target))
        assert result.returncode == 1, result.stderr
        assert (
            f"{target} is a program, which an export never replaces; choose another name."
            in result.stderr
        )
        assert _fingerprint(program) == before
        assert link.is_symlink()
    # A link to an ordinary data file is still written through.
    data = tmp_path / "counts.csv"
    data.write_text("old\n", encoding="utf-8")
    link.unlink()
    link.symlink_to(data)
    assert run_app(tmp_path, "export", "--format", "csv", "-o", str(link)).returncode == 0
    assert link.is_symlink()
    assert data.read_text(encoding="utf-8").startswith("target,observed_at,likes")


def test_export_names_the_program_in_the_users_language(tmp_path, program):
    result = run_app(tmp_path, "--lang", "fr", "export", "-o", str(program))
    assert result.returncode == 1
    assert f"{program} est un programme" in result.stderr
    assert program.read_text(encoding="utf-8") == PROGRAM


@pytest.mark.parametrize("fmt", ["png", "csv", "ics"])
def test_export_never_replaces_the_interpreter_through_a_venv_link(
    tmp_path, interpreter, throwaway_python, fmt
):
    command = [str(throwaway_python), *app_command(tmp_path, "export", "--format", fmt)[1:]]
    result = subprocess.run(
        [*command, "-o", str(interpreter)],
        capture_output=True,
        text=True,
        env=offscreen_env(),
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert f"{interpreter} is a program" in result.stderr
    assert interpreter.is_symlink()


@pytest.mark.parametrize("through_link", [False, True], ids=["path", "link"])
def test_export_never_writes_inside_the_package_folder(tmp_path, in_package, through_link):
    target = in_package
    if through_link:
        target = tmp_path / "graph.png"
        target.symlink_to(in_package)  # dangling: the file it names does not exist yet
    result = run_app(tmp_path, "export", "--format", "png", "-o", str(target))
    assert result.returncode == 1, result.stderr
    assert (
        f"{target} is inside the folder where Campaign Companion, or the Python it uses, is "
        "installed" in result.stderr
    )
    assert not in_package.exists()


# -- a picture to a terminal -----------------------------------------------------------------------


def _export_png_to_a_terminal(base: Path, *args: str) -> tuple[int, bytes, str]:
    """Run ``export --format png`` with a pseudo-terminal as its standard output."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            app_command(base, *args, "export", "--format", "png"),
            stdout=follower,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=offscreen_env(),
            cwd=base,
        )
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        stderr = process.stderr.read().decode("utf-8") if process.stderr else ""
        code = process.wait(timeout=120)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    return code, shown, stderr


@pytest.mark.parametrize(
    ("language", "says"),
    [
        (
            "en",
            "A picture cannot be shown in a terminal: name the file to save it in with -o FILE.",
        ),
        ("fr", "indiquez le fichier où l’enregistrer avec -o FILE"),
        ("ary", "التيرمينال"),
    ],
)
def test_a_picture_is_never_written_to_a_terminal_but_goes_through_a_pipe(tmp_path, language, says):
    code, shown, stderr = _export_png_to_a_terminal(tmp_path, "--lang", language)
    assert code == 1
    assert b"PNG" not in shown
    assert says in stderr
    assert "Traceback" not in stderr
    # The same command through a pipe (a redirect, ``| convert``) gets the picture.
    piped = subprocess.run(
        app_command(tmp_path, "--lang", language, "export", "--format", "png"),
        capture_output=True,
        env=offscreen_env(),
        cwd=tmp_path,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith(b"\x89PNG\r\n\x1a\n")


# -- the window ------------------------------------------------------------------------------------


def _save_as(monkeypatch, path: Path) -> None:
    """The save dialog answers ``path`` (as the user choosing it would)."""
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(path))


def _refused_in_the_window(window, qtbot, monkeypatch, path: Path, choose) -> str:
    _save_as(monkeypatch, path)
    with qtbot.waitSignal(window.failed, timeout=15000) as blocker:
        choose()
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert any(blocker.args[0] == b.text() for b in boxes)
    return blocker.args[0]


@pytest.mark.parametrize("export", ["csv", "ics"])
def test_the_windows_exports_never_replace_a_program_or_the_interpreter(
    open_window, qtbot, monkeypatch, tmp_path, program, interpreter, in_package, export
):
    window = open_window()
    choose = window.choose_export if export == "csv" else window.choose_calendar_export
    link = tmp_path / f"out.{export}"
    link.symlink_to(program)
    before = _fingerprint(program)
    message = _refused_in_the_window(window, qtbot, monkeypatch, link, choose)
    assert message == f"{link} is a program, which an export never replaces; choose another name."
    assert _fingerprint(program) == before
    message = _refused_in_the_window(window, qtbot, monkeypatch, interpreter, choose)
    assert message.startswith(f"{interpreter} is a program")
    message = _refused_in_the_window(window, qtbot, monkeypatch, in_package, choose)
    assert message.startswith(f"{in_package} is inside the folder where Campaign Companion")
    assert not in_package.exists()


def test_the_windows_exports_never_replace_the_campaign_file(
    qtbot, monkeypatch, paths, tmp_path, clock
):
    from campaign_gui.core.campaign import bundled_campaign_bytes
    from campaign_gui.core.settings import load_settings

    from .conftest import new_app

    campaign_file = tmp_path / "campaign.json"
    campaign_file.write_bytes(bundled_campaign_bytes())
    app = new_app(paths, load_settings(paths.config_dir), campaign_file, clock=clock)
    window = app.window
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=15000):
        window.start_loading()
    try:
        before = campaign_file.read_bytes()
        for choose in (window.choose_export, window.choose_calendar_export):
            message = _refused_in_the_window(window, qtbot, monkeypatch, campaign_file, choose)
            assert "one of Campaign Companion's own files" in message
        assert campaign_file.read_bytes() == before
    finally:
        window.service.close()


def test_sharing_the_graph_never_replaces_a_program_or_the_interpreter(
    open_window, monkeypatch, tmp_path, program, interpreter, in_package
):
    from campaign_gui.ui.share_image import ShareDialog

    window = open_window()
    window.share_action.trigger()
    dialog = window.findChild(ShareDialog)
    link = tmp_path / "graph.png"
    link.symlink_to(program)
    # The save dialog adds .png to a name without one: a link so named leads to the interpreter.
    python = tmp_path / "python3.png"
    python.symlink_to(interpreter)
    before = _fingerprint(program)
    for target, says in (
        (link, f"{link} is a program"),
        (python, f"{python} is a program"),
        (in_package, f"{in_package} is inside the folder where"),
    ):
        _save_as(monkeypatch, target)
        dialog.save()
        assert any(b.text().startswith(says) for b in dialog.findChildren(QMessageBox))
        assert dialog.isVisible()
    assert _fingerprint(program) == before
    assert not in_package.exists()


@pytest.mark.parametrize("how", ["dotdot", "link"])
def test_an_export_never_replaces_the_file_its_output_is_redirected_to(tmp_path, how):
    """``-o /tmp/../dev/stdout >> app.log`` (or a link to /dev/stdout) leads, once followed, to
    the file the output is redirected to: replacing it would lose what it held."""
    log = tmp_path / "app.log"
    log.write_text("precious\n", encoding="utf-8")
    target = "/tmp/../dev/stdout"
    if how == "link":
        (tmp_path / "so").symlink_to("/dev/stdout")
        target = str(tmp_path / "so")
    with log.open("a", encoding="utf-8") as out:
        result = subprocess.run(
            [*app_command(tmp_path, "export", "--format", "csv", "-o", target)],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env=offscreen_env(),
            cwd=tmp_path,
            timeout=120,
        )
    assert result.returncode == 1
    assert "is a device or a stream, not a file" in result.stderr
    assert log.read_text(encoding="utf-8") == "precious\n"


def test_an_export_never_writes_where_the_app_imports_from(tmp_path):
    """A folder on the import path outside the app's prefix (PYTHONPATH, a user site, a .pth's
    folder): writing there would replace code the app runs, or add a .pth it would run."""
    deps = tmp_path / "deps"
    deps.mkdir()
    for name in ("module.py", "zz.pth"):
        target = deps / name
        result = run_app(tmp_path, "export", "-o", str(target), PYTHONPATH=str(deps))
        assert result.returncode == 1, result.stderr
        assert "is inside the folder where Campaign Companion" in result.stderr
        assert not target.exists()
    saved = tmp_path / "counts.csv"  # the current folder stays the user's
    assert run_app(tmp_path, "export", "-o", "counts.csv").returncode == 0 and saved.exists()


def test_the_current_folder_on_the_import_path_is_refused_too(tmp_path):
    """``PYTHONPATH=.`` puts the current folder on the import path on purpose: a ``json.py``
    exported there would shadow the standard library at the next start."""
    result = run_app(tmp_path, "export", "-o", "json.py", PYTHONPATH=str(tmp_path))
    assert result.returncode == 1, result.stderr
    assert "is inside the folder where Campaign Companion" in result.stderr
    assert not (tmp_path / "json.py").exists()
