"""The Windows installer's words come from the catalogs, and its uninstaller's list from the
folder it installs (packaging/installer_texts.py); no Wine needed here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "installer_texts", ROOT / "packaging" / "installer_texts.py"
)
assert _spec and _spec.loader
installer_texts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(installer_texts)


def test_every_installer_text_is_there_in_each_language():
    lines = installer_texts.langstrings().splitlines()
    for language in ("ENGLISH", "FRENCH", "ARABIC"):
        names = {
            line.split()[1] for line in lines if line.startswith("LangString ") and language in line
        }
        assert names == set(installer_texts.TEXTS), language
    text = "\n".join(lines)
    assert 'LangString WelcomeTitle ${LANG_ARABIC} "\u200fمرحبا بيك فرفيق الحملة\u200f"' in text
    assert "Compagnon de campagne" in text
    assert "\u2068" not in text and "\u2069" not in text  # isolates drawn as boxes there
    assert "${DATA_DIR}" in text and "{data_dir}" not in text
    # the version between right-to-left marks, so the words around it keep their order
    assert "يركّب رفيق الحملة \u200f\u202a${VERSION}\u202c\u200f غير للحساب" in text


def test_nsis_strings_are_escaped():
    assert installer_texts._nsis_string('say "$5"\nnow') == 'say $\\"$$5$\\"$\\r$\\nnow'


def test_the_uninstaller_removes_exactly_the_folder_it_installs(tmp_path):
    (tmp_path / "_internal" / "PySide6").mkdir(parents=True)
    (tmp_path / "campaign-gui.exe").write_bytes(b"MZ")
    (tmp_path / "_internal" / "PySide6" / "Qt6Core.dll").write_bytes(b"MZ")
    lines = installer_texts.uninstall_list(tmp_path).splitlines()[1:]
    assert lines == [
        'Delete "$INSTDIR\\_internal\\PySide6\\Qt6Core.dll"',
        'Delete "$INSTDIR\\campaign-gui.exe"',
        'RMDir "$INSTDIR\\_internal\\PySide6"',
        'RMDir "$INSTDIR\\_internal"',
    ]
    assert not any("/r" in line for line in lines)
