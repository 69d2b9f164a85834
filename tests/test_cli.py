"""The command line as a user runs it: a separate process, no display."""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from campaign_gui import __version__
from campaign_gui.cli import main
from campaign_gui.core.campaign import ActionDay, bundled_campaign_bytes
from campaign_gui.core.i18n import PSEUDO_LANGUAGE, set_language

from .conftest import app_command, offscreen_env, run_app


@pytest.fixture
def run(tmp_path: Path):
    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_app(tmp_path, *args, stdin=stdin)

    return run


@pytest.fixture
def run_here(paths, capsys, clock):
    """The command line in this process, on the test's clock: for what depends on the time."""

    def run_here(*args: str) -> tuple[int, str, str]:
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        try:
            code = main(
                ["--data-dir", str(paths.data_dir), "--config-dir", str(paths.config_dir), *args],
                clock=clock,
            )
        finally:  # the log file main opened
            for handler in root.handlers[:]:
                if handler not in handlers:
                    root.removeHandler(handler)
                    handler.close()
            root.setLevel(level)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run_here


def test_version(run):
    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_status_prints_the_latest_reported_loss_of_each_page(run):
    result = run("--lang", "en", "status")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        "Maroc Telecom: about 200,000 likes lost "
        "(Mar\u00a01\u202f–\u202f10,\u00a02016; BFM Business)" in lines
    )
    assert any(line.startswith("inwi: more than 170,000 likes lost") for line in lines)
    assert any(line.startswith("Méditel (now Orange Maroc): more than 163,000") for line in lines)


def test_import_then_status_then_export_round_trip(run, tmp_path: Path):
    source = tmp_path / "counts.csv"
    source.write_text(
        "target,observed_at,likes,followers\n"
        "inwi,2016-02-26T08:00:00Z,1470000,\n"
        "inwi,2016-03-20T08:00:00+00:00,1200000,1300000\n",
        encoding="utf-8",
    )
    first = run("import", str(source))
    assert first.returncode == 0, first.stderr
    assert "Imported 2 page counts." in first.stdout
    second = run("import", str(source))
    assert "Imported 0 page counts." in second.stdout
    assert "2 were already stored" in second.stdout

    status = run("--lang", "en", "status")
    assert "inwi: 270,000 likes lost" in status.stdout

    out = tmp_path / "out.csv"
    exported = run("export", "--format", "csv", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.read_text(encoding="utf-8").splitlines() == [
        "target,observed_at,likes,followers",
        "inwi,2016-02-26T08:00:00+00:00,1470000,",
        "inwi,2016-03-20T08:00:00+00:00,1200000,1300000",
    ]
    as_json = json.loads(run("export", "--format", "json").stdout)
    assert len(as_json["observations"]) == 2


def test_a_bad_csv_is_an_error_on_stderr_with_a_non_zero_exit_and_no_traceback(run, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("inwi,2016-02-26T08:00:00Z,10\ninwi,2016-02-27,oops\n", encoding="utf-8")
    result = run("import", str(source))
    assert result.returncode == 1
    assert "Line 2" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert run("export").stdout.strip() == "target,observed_at,likes,followers"


def test_a_missing_file_is_reported_plainly(run, tmp_path):
    result = run("import", str(tmp_path / "missing.csv"))
    assert result.returncode == 1
    assert "missing.csv does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unwritable_export_target_is_reported_plainly(run, tmp_path):
    result = run("export", "-o", str(tmp_path / "no" / "such" / "dir" / "x.csv"))
    assert result.returncode == 1
    assert "Cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_campaign_file_names_the_field(run, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "campaign-companion/campaign", "version": 1}', encoding="utf-8")
    result = run("--campaign", str(broken), "status")
    assert result.returncode == 1
    assert "broken.json: id: is missing" in result.stderr


@pytest.mark.clock_matrix
def test_days_lists_upcoming_then_past_in_each_language(run_here, clock):
    # the tests' clock is in October 2028, twelve years after the campaign's days
    code, out, _err = run_here("--lang", "en", "days")
    assert code == 0
    en = out.splitlines()
    assert en[1:4] == ["", "Upcoming", "  No action day is planned yet."]
    assert en[5] == "Past"
    assert en[6] == (
        "  Mar\u00a031,\u00a02016 (12 years ago) — Boycott: Boycott of bill payments and top-ups"
    )
    assert en[8].startswith("  Jan\u00a016\u202f–\u202f17,\u00a02016 (12 years ago)")
    fr = run_here("--lang", "fr", "days")[1]
    assert "À venir" in fr and "Passées" in fr
    assert "16–17\u00a0janv.\u00a02016 (il y a 12 ans) — " in fr
    assert "Téléphones éteints\u00a0: Téléphones éteints pendant deux jours" in fr
    ary = run_here("--lang", "ary", "days")[1]
    assert "الجايين" in ary and "اللي فاتو" in ary
    assert (
        "16–17\u00a0يناير\u00a02016 (هادي 12 عام) — "
        "تطفية التيليفونات: طفيو التيليفونات جوج أيام" in ary
    )


@pytest.mark.clock_matrix
def test_days_splits_at_the_campaigns_midnight_not_the_computers(run_here, paths, clock):
    from campaign_gui.core.workspace import Workspace

    workspace = Workspace.open(paths, clock=clock)
    today = clock.today(workspace.campaign.zone)  # Morocco's date, whatever the user's zone
    for day_id, day in (("mine-1", today), ("mine-2", today - timedelta(days=1))):
        workspace.store.save_user_day(
            workspace.campaign.id,
            ActionDay(day_id, "protest", day, day, {"en": day_id}, {}, own=True),
        )
    workspace.close()
    out = run_here("--lang", "en", "days")[1].splitlines()
    upcoming, past = out[out.index("Upcoming") + 1], out[out.index("Past") + 1]
    assert upcoming.endswith("(today) — Protest: mine-1")
    assert past.endswith("(yesterday) — Protest: mine-2")


def test_status_in_french_and_darija(run):
    fr = run("--lang", "fr", "status").stdout
    assert (
        "Maroc Telecom\u00a0: environ 200\u202f000\u00a0«\u00a0j’aime\u00a0» perdus "
        "(1er–10\u00a0mars\u00a02016\u00a0; BFM Business)" in fr
    )
    ary = run("--lang", "ary", "status").stdout
    assert (
        "اتصالات المغرب: تقريبا 200.000 لايك تحيدو (1–10\u00a0مارس\u00a02016؛ BFM Business)" in ary
    )


def test_the_system_language_is_followed_when_none_is_chosen(run, monkeypatch):
    monkeypatch.setenv("LANG", "ar_MA.UTF-8")
    assert "الجايين" in run("days").stdout
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert "À venir" in run("days").stdout


def test_command_line_errors_are_in_the_chosen_language(run):
    result = run("--lang", "fr", "nope")
    assert result.returncode == 2
    assert "erreur" in result.stderr and "choix invalide" in result.stderr
    assert "utilisation\u00a0:" in result.stderr
    missing = run("--lang", "ary", "import", "/nowhere/x.csv")
    assert "ما كاينش" in missing.stderr


def test_a_mistake_in_the_language_option_is_said_in_the_saved_language(run, tmp_path):
    """``--lang xx`` names no language: the error comes in the one the user saved (else the
    system's), with the whole usage, not in English with the early reader's two options."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.json").write_text('{"language": "fr"}', encoding="utf-8")
    wrong = run("--lang", "xx")
    assert wrong.returncode == 2
    assert "choix invalide" in wrong.stderr and "'xx'" in wrong.stderr
    assert "utilisation\u00a0:" in wrong.stderr and "commande" in wrong.stderr
    missing = run("--lang")  # no value at all
    assert missing.returncode == 2 and "un argument est attendu" in missing.stderr


@pytest.mark.parametrize(
    "mistake",
    [("--lang", "xx"), ("--lang",), ("days", "--lang", "xx"), ("--bogus",), ("--config-dir",)],
    ids=["unknown language", "no language", "after a command", "unknown option", "no folder"],
)
def test_a_wrong_command_line_moves_no_settings_file(tmp_path, mistake):
    """An unreadable settings file is kept aside by a run that goes ahead, never by a command
    line that is refused: neither in the folder given, nor in the default one (where a
    ``--config-dir`` with no folder would have looked)."""
    given = tmp_path / "config"
    default = tmp_path / "xdg" / "CampaignCompanion"
    for folder in (given, default):
        folder.mkdir(parents=True)
        (folder / "settings.json").write_text("{not json", encoding="utf-8")
    refused = run_app(tmp_path, *mistake, XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    assert refused.returncode == 2, refused.stderr
    for folder in (given, default):
        assert [p.name for p in folder.iterdir()] == ["settings.json"]
    ran = run_app(tmp_path, "days", XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    assert ran.returncode == 0, ran.stderr
    assert sorted(p.name.split("-")[0] for p in given.iterdir()) == ["settings.json.broken"]
    assert [p.name for p in default.iterdir()] == ["settings.json"]


def test_argparse_still_speaks_through_the_catalog_it_is_given(capsys):
    """argparse has no public way to be translated by an app that picks its own language:
    ``translate_argparse`` points its module globals ``_`` and ``ngettext`` at the app's catalog.
    If an upgrade of argparse stops reading them (binds them at import, renames them), this fails,
    and every usage error and help would be in English again."""
    from campaign_gui.cli.parser import build_parser, translate_argparse

    translate_argparse()
    try:
        set_language("fr")
        with pytest.raises(SystemExit) as exited:
            build_parser().parse_args(["nope"])
        assert exited.value.code == 2
        said = capsys.readouterr().err
        upgraded = "argparse no longer speaks through translate_argparse's _ and ngettext"
        assert "utilisation\u00a0:" in said and "erreur" in said and "choix invalide" in said, (
            f"{upgraded}: {said!r}"
        )
        # A plural of argparse's own (ngettext), seen in the pseudo-language that marks every text.
        set_language(PSEUDO_LANGUAGE)
        pair = argparse.ArgumentParser(prog="campaign-gui")
        pair.add_argument("--pair", nargs=2)
        with pytest.raises(SystemExit):
            pair.parse_args(["--pair", "one"])
        said = capsys.readouterr().err
        assert "éxpéçtéd 2 árgüméñtš" in said, f"{upgraded} (plurals): {said!r}"
    finally:
        set_language("en")


def test_the_calendar_export_is_stamped_by_the_apps_clock(run_here, clock, tmp_path):
    from icalendar import Calendar

    out = tmp_path / "days.ics"
    code, _out, err = run_here("export", "--format", "ics", "-o", str(out))
    assert code == 0, err
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert {e.decoded("DTSTAMP") for e in events} == {clock.now()}


def test_export_ics_for_a_phone_calendar(run, tmp_path):
    from icalendar import Calendar

    out = tmp_path / "days.ics"
    result = run("export", "--format", "ics", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Wrote 3 action days" in result.stderr
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "Boycott of bill payments and top-ups",
        "Phones switched off for two days",
        "Unlike the operators' pages",
    ]


def test_a_bad_setting_is_logged_not_printed_on_the_terminal(run, tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.json").write_text('{"widget_x": true}', encoding="utf-8")
    result = run("status")
    assert result.returncode == 0
    assert result.stderr == ""
    log = (tmp_path / "data" / "logs" / "campaign-gui.log").read_text(encoding="utf-8")
    assert "widget_x" in log


def test_export_to_standard_output_by_its_names_keeps_what_the_shell_redirected(tmp_path):
    out = tmp_path / "f.csv"
    out.write_text("previous\n", encoding="utf-8")
    with out.open("a", encoding="utf-8") as stream:
        result = subprocess.run(
            app_command(tmp_path, "export", "-o", "/dev/stdout"),
            stdout=stream,
            stderr=subprocess.PIPE,
            text=True,
            env=offscreen_env(),
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("previous\ntarget,observed_at,likes")


def test_export_never_replaces_the_campaign_file_in_use(run, tmp_path):
    from importlib import resources

    campaign_file = tmp_path / "campaign.json"
    bundled = resources.files("campaign_gui") / "resources" / "campaign-2016.json"
    campaign_file.write_bytes(bundled.read_bytes())
    result = run("--campaign", str(campaign_file), "export", "-o", str(campaign_file))
    assert result.returncode == 1
    assert "own files" in result.stderr
    assert campaign_file.read_bytes() == bundled.read_bytes()


def test_a_store_that_is_a_link_to_nothing_is_a_clear_error(run, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "campaign.sqlite3").symlink_to(tmp_path / "gone.sqlite3")
    result = run("status")
    assert result.returncode == 1
    assert "it is not a file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_standard_output_is_a_clear_error(tmp_path):
    with open("/dev/full", "w") as full:  # noqa: PTH123 - a device, not a path to handle
        result = subprocess.run(
            app_command(tmp_path, "export", "-o", "-"),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=offscreen_env(),
            timeout=60,
        )
    assert result.returncode == 1
    assert "Cannot write to standard output." in result.stderr
    assert "Something went wrong" not in result.stderr


def test_a_file_named_dash_in_a_folder_is_a_file(run, tmp_path):
    result = run("export", "-o", "./-")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "-").read_text(encoding="utf-8").startswith("target,observed_at")


def test_where_options_may_follow_the_command(tmp_path):
    """``status --lang fr`` and ``export --campaign F`` work as they do before the command."""
    french = run_app(tmp_path, "status", "--lang", "fr")
    assert french.returncode == 0, french.stderr
    assert "«\u00a0j’aime\u00a0» perdus" in french.stdout
    other = tmp_path / "elsewhere"
    result = run_app(tmp_path, "days", "--data-dir", str(other / "data"))
    assert result.returncode == 0, result.stderr
    assert (other / "data" / "campaign.sqlite3").exists()


def test_status_gives_each_page_and_not_the_pages_together(tmp_path):
    """2016's figure of the three pages together is one early count, below each page's own:
    printed among the pages' latest figures it read as the latest of a fourth page."""
    result = run_app(tmp_path, "status", "--lang", "en")
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and lines[1].startswith("Maroc Telecom: ")  # the name, three pages
    assert not any("All pages together" in line for line in lines)


def test_status_does_not_say_a_day_twice(tmp_path):
    document = json.loads(bundled_campaign_bytes())
    for report in document["reports"]:  # each a figure of one day, its source of that day
        report.pop("end", None)
        for source in report["sources"]:
            source["date"] = report["start"]
    campaign_file = tmp_path / "dated.json"
    campaign_file.write_text(json.dumps(document), encoding="utf-8")
    result = run_app(tmp_path, "--campaign", str(campaign_file), "status", "--lang", "en")
    inwi = next(line for line in result.stdout.splitlines() if line.startswith("inwi:"))
    assert "BFM Business" in inwi and inwi.count("2016") == 1, inwi


def test_status_and_the_json_export_say_an_undated_figure_has_no_date(tmp_path):
    """A report whose source gives no date for its figure (``"date_given": false``): ``status``
    says "date not given" and where it is shown, never the day alone; the export says it too."""
    document = json.loads(bundled_campaign_bytes())
    document["reports"] = [r for r in document["reports"] if r["id"].startswith("sefroupress")]
    campaign_file = tmp_path / "undated.json"
    campaign_file.write_text(json.dumps(document), encoding="utf-8")
    result = run_app(tmp_path, "--campaign", str(campaign_file), "status", "--lang", "en")
    mt = next(line for line in result.stdout.splitlines() if line.startswith("Maroc Telecom:"))
    assert mt == (
        "Maroc Telecom: 123,380 likes lost "
        "(date not given — shown at Feb\u00a027,\u00a02016; Sefroupress)"
    )
    french = run_app(tmp_path, "--campaign", str(campaign_file), "status", "--lang", "fr")
    assert "(date non précisée — placé au 27\u00a0févr.\u00a02016\u00a0; Sefroupress)" in (
        french.stdout
    )
    out = tmp_path / "out.json"
    exported = run_app(
        tmp_path, "--campaign", str(campaign_file), "export", "--format", "json", "-o", str(out)
    )
    assert exported.returncode == 0, exported.stderr
    reports = json.loads(out.read_text(encoding="utf-8"))["reports"]
    assert [r["date_given"] for r in reports] == [False, False, False]
