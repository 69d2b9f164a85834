"""What the Windows installer says, in the app's own catalogs, and the NSIS files made from them.

Every text on the installer's pages (MUI's included: its own are overridden, page by page) is a
message here with the gettext context ``installer``: Babel extracts it into
``translations/campaign_gui.pot`` (``babel.cfg``), translators write its Darija and French in the
same ``.po`` files as the app's, and ``build.py`` turns them into ``LangString`` lines for
``windows/installer.nsi``. One place for every translation, one glossary.

``{data_dir}`` and ``{version}`` are filled in by NSIS (``${DATA_DIR}``, ``${VERSION}``); a line
break in a message is a line break on the page.

The same module writes the list of files the uninstaller removes: exactly those the installer put
there, so that a folder chosen with other files in it keeps them.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = "installer"

# NSIS's languages, and the catalog that speaks for each (English is the messages themselves).
LANGUAGES = {"ENGLISH": None, "FRENCH": "fr", "ARABIC": "ary"}
PLACEHOLDERS = {"{data_dir}": "${DATA_DIR}", "{version}": "${VERSION}"}


def pgettext(context: str, message: str) -> str:
    """Marks a message for extraction; the translation happens in :func:`langstrings`."""
    return message


TEXTS = {
    "AppName": pgettext("installer", "Campaign Companion"),
    "Caption": pgettext("installer", "Campaign Companion Setup"),
    "UninstallCaption": pgettext("installer", "Uninstall Campaign Companion"),
    # Buttons, and what NSIS writes on several pages
    "BackButton": pgettext("installer", "< Back"),
    "NextButton": pgettext("installer", "Next >"),
    "CancelButton": pgettext("installer", "Cancel"),
    "CloseButton": pgettext("installer", "Close"),
    "InstallButton": pgettext("installer", "Install"),
    "UninstallButton": pgettext("installer", "Uninstall"),
    "FinishButton": pgettext("installer", "Finish"),
    "BrowseButton": pgettext("installer", "Browse…"),
    "Completed": pgettext("installer", "Done"),
    # Welcome
    "WelcomeTitle": pgettext("installer", "Welcome to Campaign Companion"),
    "WelcomeText": pgettext(
        "installer",
        "This installs Campaign Companion {version} for you alone: it needs no administrator "
        "rights.\n\nIf an older version is installed, it is replaced, and your like counts, "
        "action days and settings are kept.\n\nClick Next to continue.",
    ),
    # Folder
    "DirHeader": pgettext("installer", "Install folder"),
    "DirSubheader": pgettext("installer", "Where Campaign Companion goes on this computer."),
    "DirTop": pgettext(
        "installer",
        "Campaign Companion will be installed in the folder below. To put it elsewhere, click "
        "Browse and choose another folder. Files already in that folder stay as they are.",
    ),
    "DirDestination": pgettext("installer", "Folder"),
    # Components
    "ComponentsHeader": pgettext("installer", "What to install"),
    "ComponentsSubheader": pgettext("installer", "Shortcuts, and starting at login."),
    "ComponentsTop": pgettext(
        "installer",
        "Tick what you want, then click Install. Started at login, the app waits in the "
        "notification area to remind you of action days; its menu can turn this off.",
    ),
    "ComponentsList": pgettext("installer", "Install:"),
    "SecAppName": pgettext("installer", "Campaign Companion (required)"),
    "SecDesktopName": pgettext("installer", "Desktop shortcut"),
    "SecLoginName": pgettext("installer", "Start at login"),
    # Installing
    "InstallingHeader": pgettext("installer", "Installing"),
    "InstallingSubheader": pgettext("installer", "Campaign Companion is being installed."),
    "WaitingForApp": pgettext("installer", "Waiting for Campaign Companion to close…"),
    "CopyingFiles": pgettext("installer", "Copying the app's files…"),
    "InstalledHeader": pgettext("installer", "Installed"),
    "InstalledSubheader": pgettext("installer", "Campaign Companion is installed."),
    "InstallStoppedHeader": pgettext("installer", "Installation stopped"),
    "InstallStoppedSubheader": pgettext("installer", "Setup stopped before changing anything."),
    "AppRunning": pgettext(
        "installer",
        "Campaign Companion is still open, and its files cannot be replaced while it runs.\n\n"
        "Quit it (right-click its icon in the notification area, then Quit), then try again.",
    ),
    "AbortWarning": pgettext("installer", "Stop installing Campaign Companion?"),
    # Finish
    "FinishTitle": pgettext("installer", "Campaign Companion is ready"),
    "FinishText": pgettext(
        "installer",
        "Campaign Companion is installed. You will find it in the Start menu.\n\n"
        "Click Finish to close this window.",
    ),
    "FinishRun": pgettext("installer", "Open Campaign Companion now"),
    # Uninstall
    "UnConfirmHeader": pgettext("installer", "Uninstall Campaign Companion"),
    "UnConfirmSubheader": pgettext("installer", "Remove Campaign Companion from this computer."),
    "UnConfirmTop": pgettext(
        "installer",
        "Campaign Companion will be removed from the folder below: only the files its setup put "
        "there. Click Uninstall to continue.",
    ),
    "UnConfirmLocation": pgettext("installer", "Folder:"),
    "UnInstallingHeader": pgettext("installer", "Uninstalling"),
    "UnInstallingSubheader": pgettext("installer", "Campaign Companion is being removed."),
    "RemovingFiles": pgettext("installer", "Removing the app's files…"),
    "UninstalledHeader": pgettext("installer", "Uninstalled"),
    "UninstalledSubheader": pgettext("installer", "Campaign Companion was removed."),
    "UninstallStoppedHeader": pgettext("installer", "Uninstall stopped"),
    "UninstallStoppedSubheader": pgettext(
        "installer", "Uninstall stopped before removing anything."
    ),
    "UnAbortWarning": pgettext("installer", "Stop uninstalling Campaign Companion?"),
    "UnFinishTitle": pgettext("installer", "Campaign Companion is uninstalled"),
    "UnFinishText": pgettext(
        "installer",
        "Campaign Companion was removed from this computer. Files it did not install, and your "
        "data unless you deleted it, are still there.\n\nClick Finish to close this window.",
    ),
    "AskRemoveData": pgettext(
        "installer",
        "Also delete your data: the like counts, your action days, settings and logs in\n"
        "{data_dir}?\n\nThis cannot be undone. Choose No to keep them for a later installation.",
    ),
}


def _right_to_left(text: str) -> str:
    """Each line of an Arabic text between right-to-left marks (U+200F): a line that starts or
    ends with a quote, a number or a full stop then reads right to left wherever the control
    would otherwise take its direction from the window (Wine's welcome and finish pages). Each
    isolate is set between marks too: there, the spaces around a number ("رفيق الحملة 0.1.0 غير")
    would otherwise take the window's direction and split the sentence's order around it."""
    text = text.replace("\u2068", "\u200f\u2068").replace("\u2069", "\u2069\u200f")
    return "\n".join(f"\u200f{line}\u200f" if line else line for line in text.split("\n"))


def _nsis_string(text: str) -> str:
    """A message as an NSIS string: ``$`` and quotes escaped, line breaks as CR LF, and the
    catalogs' isolates (U+2068 … U+2069) as embeddings (U+202A … U+202C), which every Windows'
    classic controls know (Windows 7's draw isolates as boxes, as Wine does)."""
    text = text.replace("\u2068", "\u202a").replace("\u2069", "\u202c")
    text = text.replace("$", "$$").replace('"', '$\\"').replace("\n", "$\\r$\\n")
    for placeholder, define in PLACEHOLDERS.items():
        text = text.replace(placeholder, define)
    return text


def translations(language: str, root: Path = ROOT) -> dict[str, str]:
    """The catalog's translation of every installer message (English: the messages).

    A message missing or fuzzy in the catalog stops the build: the installer would show English
    on a Darija or French system."""
    po = root / "translations" / language / "LC_MESSAGES" / "campaign_gui.po"
    with po.open("rb") as stream:
        catalog = read_po(stream)
    texts = {}
    missing = []
    for name, message in TEXTS.items():
        entry = catalog.get(message, context=CONTEXT)
        if entry is None or entry.fuzzy or not entry.string:
            missing.append(message)
        else:
            texts[name] = str(entry.string)
    if missing:
        raise SystemExit(f"{po}: the installer's messages are not translated: {missing}")
    return texts


def langstrings(root: Path = ROOT) -> str:
    """``LangString`` lines for every installer message in every installer language."""
    lines = ["; Made by packaging/installer_texts.py from the catalogs: edit those, not this."]
    for nsis_language, catalog in LANGUAGES.items():
        texts = TEXTS if catalog is None else translations(catalog, root)
        if nsis_language == "ARABIC":
            texts = {name: _right_to_left(text) for name, text in texts.items()}
        lines.extend(
            f'LangString {name} ${{LANG_{nsis_language}}} "{_nsis_string(text)}"'
            for name, text in texts.items()
        )
    return "\n".join(lines) + "\n"


def uninstall_list(folder: Path) -> str:
    """NSIS lines that remove what the installer copies from ``folder`` into ``$INSTDIR``:
    each file by name, then each folder if it is left empty, the deepest first."""
    files = sorted(p for p in folder.rglob("*") if not p.is_dir())
    folders = sorted(
        (p for p in folder.rglob("*") if p.is_dir()),
        key=lambda p: (-len(p.relative_to(folder).parts), str(p)),
    )
    lines = ["; Made by packaging/installer_texts.py from the folder the installer copies."]
    lines += [f'Delete "$INSTDIR\\{_windows_path(p, folder)}"' for p in files]
    lines += [f'RMDir "$INSTDIR\\{_windows_path(p, folder)}"' for p in folders]
    return "\n".join(lines) + "\n"


def _windows_path(path: Path, folder: Path) -> str:
    name = "\\".join(path.relative_to(folder).parts)
    if any(c in name for c in '"$\r\n'):
        raise SystemExit(f"{path}: a name NSIS cannot hold as it is")
    return name


def write_includes(folder: Path, target: Path, root: Path = ROOT) -> Path:
    """Write ``langstrings.nsh`` and ``uninstall-files.nsh`` into ``target`` (``-DINCLUDES``)."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "langstrings.nsh").write_text(langstrings(root), encoding="utf-8")
    (target / "uninstall-files.nsh").write_text(uninstall_list(folder), encoding="utf-8")
    return target
