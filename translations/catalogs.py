"""Extract, update and compile the gettext catalogs with Babel.

    python translations/catalogs.py          # re-extract the template, update every .po, compile

Languages live in translations/<lang>/LC_MESSAGES/campaign_gui.po; the compiled .mo files go to
campaign_gui/locale/ (a build product, not committed). The build hook (hatch_build.py) compiles them
into every wheel and editable install.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOMAIN = "campaign_gui"
LANGUAGES = ("ary", "fr")
# Darija follows Arabic plural rules (zero, one, two, few, many, other).
PLURAL_FORMS = {
    "ary": (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
    ),
    "fr": "nplurals=2; plural=(n > 1);",
}


def po_path(root: Path, language: str) -> Path:
    return root / "translations" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogs(root: Path) -> list[Path]:
    """Compile every .po into campaign_gui/locale/<lang>/LC_MESSAGES/campaign_gui.mo."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for language in LANGUAGES:
        source = po_path(root, language)
        if not source.exists():
            continue
        with source.open("rb") as stream:
            catalog = read_po(stream, locale=None, domain=DOMAIN)
        target = root / "campaign_gui" / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        written.append(target)
    return written


def update(root: Path) -> None:
    pot = root / "translations" / f"{DOMAIN}.pot"
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run(
        [
            *pybabel,
            "extract",
            "-F",
            str(root / "babel.cfg"),
            "--project",
            "Campaign Companion",
            "--no-wrap",
            "--sort-by-file",
            "-o",
            str(pot),
            ".",
        ],
        check=True,
        cwd=root,
    )
    for language in LANGUAGES:
        po = po_path(root, language)
        action = "update" if po.exists() else "init"
        subprocess.run(
            [
                *pybabel,
                action,
                "--no-wrap",
                "-D",
                DOMAIN,
                "-i",
                str(pot),
                "-l",
                language,
                "-d",
                str(root / "translations"),
            ],
            check=True,
            cwd=root,
        )
        _set_plural_forms(po, PLURAL_FORMS[language])
    for path in compile_catalogs(root):
        print(f"compiled {path.relative_to(root)}")


def _set_plural_forms(po: Path, rule: str) -> None:
    """Set the plural rule, and drop obsolete entries (kept by Babel as ``#~`` lines)."""
    lines = [
        line
        for line in po.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("#~")
    ]
    for i, line in enumerate(lines):
        if line.startswith('"Plural-Forms:'):
            lines[i] = f'"Plural-Forms: {rule}\\n"\n'
    po.write_text("".join(lines).rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    update(Path(__file__).resolve().parents[1])
