"""Screenshots of every screen of the real app, in each language, light and dark, for the README.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/screenshots.py

(Debian: ``apt install xvfb fonts-noto-core``.) Runs the app on the bundled campaign with fresh
data and settings in a temp dir, on a clock fixed on 20 March 2016 in Casablanca (so an action day
is still to come), switches language and colour scheme live, and saves into docs/:

    window-<lang>-<scheme>.png        the window on the graph tab (1180 × 720)
    every-event-<lang>-<scheme>.png   the graph zoomed out to every event
    small-<lang>-<scheme>.png         the window at 960 × 600, on the action days tab
    action-days-<lang>-<scheme>.png   the window on the action days tab
    add-day-<lang>-<scheme>.png       the "Add an action day" dialog
    reminders-<lang>-<scheme>.png     the reminders dialog
    share-<lang>-<scheme>.png         the "Share the graph" dialog, with its picture
    share-phone-<lang>.png            the shared picture as a phone shows it, 400 px wide
    text-menu-<lang>-<scheme>.png     a text field's right-click menu
    date-picker-<lang>-<scheme>.png   the date picker of the action day dialog
    file-dialog-<lang>-<scheme>.png   Qt's own file dialog (where the system has none)
    about-<lang>-<scheme>.png         the About box
    tray-menu-<lang>-<scheme>.png     the tray icon's menu
    glance-<lang>-<scheme>.png        the campaign at a glance, as it pops up from the tray
    glance-pinned-<lang>-<scheme>.png the same, pinned on the desktop
    update-banner-<lang>-<scheme>.png a new version said in the window, with what's new
    update-download-<lang>-<scheme>.png  its download under way
    update-ready-<lang>-<scheme>.png  downloaded and verified: Install now

with <lang> ary, fr, en and <scheme> light, dark. Look at every one after a change.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLineEdit, QWidget

from campaign_gui.core.clock import FixedClock
from campaign_gui.core.glance import campaign_glance
from campaign_gui.core.paths import AppPaths
from campaign_gui.ui.about_dialog import AboutDialog
from campaign_gui.ui.action_day_dialog import ActionDayDialog
from campaign_gui.ui.app import create_app
from campaign_gui.ui.app_wiring import app_icon, build_app
from campaign_gui.ui.file_dialogs import make_file_dialog
from campaign_gui.ui.reminder_settings import ReminderSettingsDialog
from campaign_gui.ui.share_image import ShareDialog, share_image
from campaign_gui.ui.theme import ensure_theme
from campaign_gui.ui.tray import Tray
from campaign_gui.ui.tray_widget import TrayWidget
from campaign_gui.ui.update_dialog import DownloadDialog
from campaign_gui.ui.update_service import UpdateService

DOCS = Path(__file__).resolve().parent
LANGUAGES = ("ary", "fr", "en")
SCHEMES = {"light": False, "dark": True}
NOW = datetime(2016, 3, 20, 10, 0, tzinfo=ZoneInfo("Africa/Casablanca"))
# What's new in the version the update screenshots offer.
NOTES = {
    "ary": (
        "• رفيق الحملة كيشوف مرة فالنهار واش كاينة نسخة جديدة، وكيقولها ليك هنا.\n"
        "• الأرقام الجديدة كتوصل حتى إلا تبلوكا شي سيرفور: كيجرّب العناوين الأخرى."
    ),
    "fr": (
        "• Le Compagnon de campagne cherche une nouvelle version une fois par jour, et le "
        "dit ici.\n"
        "• Les données en direct arrivent même quand un hébergeur est bloqué : les autres "
        "adresses sont essayées."
    ),
    "en": (
        "• Campaign Companion looks for a new version once a day, and says so here.\n"
        "• The live data arrives even when a host is blocked: the other addresses are tried."
    ),
}


def an_update():
    """A newer version, as a check would find it (nothing is downloaded)."""
    from campaign_gui.core.updates.release_index import Installer, Release, Version
    from campaign_gui.core.updates.update_client import Update

    name = "campaign-gui-0.2.0-setup.exe"
    installer = Installer(name, 118_600_000, "0" * 64)
    release = Release(
        Version.parse("0.2.0"), date(2016, 3, 19), NOTES, {"windows-x86_64": installer}
    )
    return Update(release, "windows-x86_64", installer, "https://example.org/", (release,))


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget: QWidget, name: str) -> None:
    image = widget.grab().toImage()
    # Windows keep no alpha (none to keep); the glance card keeps its rounded, shadowed edges.
    if not widget.testAttribute(Qt.WidgetAttribute.WA_TranslucentBackground):
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    path = DOCS / f"{name}.png"
    image.save(str(path), "PNG", 0)  # 0: the smallest file (lossless all the same)
    print(path.relative_to(DOCS.parent))


def shoot_dialog(dialog: QWidget, name: str) -> None:
    dialog.show()
    settle()
    save(dialog, name)
    dialog.close()
    dialog.deleteLater()


def main() -> int:
    app = create_app()
    theme = ensure_theme()
    base = Path(tempfile.mkdtemp())
    clock = FixedClock(NOW, NOW.tzinfo)
    parts = build_app(
        AppPaths(base / "data", base / "config"), language="en", clock=clock, tray=False
    )
    window = parts.window
    window.resize(1180, 720)
    loaded = QEventLoop()
    window.loaded.connect(loaded.quit)
    QTimer.singleShot(30000, loaded.quit)
    loaded.exec()
    snapshot = window.snapshot
    if snapshot is None:
        print("the campaign did not load", file=sys.stderr)
        return 1
    tray = Tray(app_icon())
    widget = TrayWidget()
    glance = campaign_glance(snapshot.campaign, snapshot.days, snapshot.series, clock.now())
    update = an_update()
    updates = UpdateService(base / "data", window.settings, clock=clock)
    for scheme, dark in SCHEMES.items():
        if theme is not None:
            theme.set_dark(dark)
        for language in LANGUAGES:
            suffix = f"{language}-{scheme}"
            window.choose_language(language)
            window.tabs.setCurrentIndex(0)
            settle(500)
            save(window, f"window-{suffix}")
            window.plot.show_everything()
            settle()
            save(window, f"every-event-{suffix}")
            window.plot.show_figures()
            window.tabs.setCurrentIndex(1)
            settle()
            save(window, f"action-days-{suffix}")
            window.resize(960, 600)
            settle()
            save(window, f"small-{suffix}")
            window.resize(1180, 720)
            settle()

            field = QLineEdit("رفيق الحملة" if language == "ary" else "Campaign Companion")
            menu = field.createStandardContextMenu()
            menu.popup(QPoint(600, 200))
            settle()
            save(menu, f"text-menu-{suffix}")
            menu.close()

            dialog = ActionDayDialog("mine", NOW.date(), parent=window)
            dialog.show()
            calendar = dialog.start.calendarWidget()
            calendar.setSelectedDate(dialog.start.date())
            calendar.resize(calendar.sizeHint())
            calendar.show()
            settle()
            save(calendar, f"date-picker-{suffix}")
            calendar.close()
            dialog.close()

            files = make_file_dialog(
                window, "", str(base / "page-counts.csv"), "CSV (*.csv)", save=True
            )
            files.show()
            settle()
            save(files, f"file-dialog-{suffix}")
            files.close()
            if scheme == "light":
                picture = share_image(snapshot.campaign, snapshot.series, (1200, 675))
                phone = picture.scaledToWidth(400, Qt.TransformationMode.SmoothTransformation)
                phone.save(str(DOCS / f"share-phone-{language}.png"), "PNG", 0)

            shoot_dialog(ActionDayDialog("mine", NOW.date(), parent=window), f"add-day-{suffix}")
            shoot_dialog(ReminderSettingsDialog(window.settings, window), f"reminders-{suffix}")
            shoot_dialog(
                ShareDialog(snapshot.campaign, snapshot.series, [], window), f"share-{suffix}"
            )
            window.show_about()
            settle()
            for box in window.findChildren(AboutDialog):
                if box.isVisible():
                    save(box, f"about-{suffix}")
                    box.close()

            window.tabs.setCurrentIndex(0)
            window.update_banner.show_update(update.release)
            settle()
            save(window, f"update-banner-{suffix}")
            window.update_banner.hide()
            download = DownloadDialog(updates, update, window, start=False)
            download.show_progress(42_300_000, update.installer.length)
            shoot_dialog(download, f"update-download-{suffix}")
            ready = DownloadDialog(updates, update, window, start=False)
            ready.show_downloaded(base / update.installer.name)
            shoot_dialog(ready, f"update-ready-{suffix}")

            glance = campaign_glance(snapshot.campaign, snapshot.days, snapshot.series, clock.now())
            tray.set_summary(glance.next_day, glance.tooltip())
            tray.set_window_shown(True)
            tray.menu.popup(QPoint(600, 200))
            settle()
            save(tray.menu, f"tray-menu-{suffix}")
            tray.menu.hide()

            widget.set_glance(glance)
            widget.show_at(QPoint(700, 80))
            settle()
            save(widget, f"glance-{suffix}")
            widget.set_pinned(True)
            settle()
            widget.fit()
            settle()
            save(widget, f"glance-pinned-{suffix}")
            widget.close_widget()
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
