from __future__ import annotations

import copy
import json
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from campaign_gui.core.campaign import (
    CampaignError,
    is_facebook_page_url,
    parse_campaign,
    parse_campaign_bytes,
)

from .probes import load_campaign


@pytest.fixture
def document() -> dict:
    raw = (resources.files("campaign_gui") / "resources" / "campaign-2016.json").read_bytes()
    return json.loads(raw)


def test_bundled_campaign_has_the_three_operator_pages(campaign):
    assert [(t.id, t.page_url) for t in campaign.targets] == [
        ("maroc-telecom", "https://www.facebook.com/maroctelecom"),
        ("meditel", "https://www.facebook.com/orangemaroc"),
        ("inwi", "https://www.facebook.com/inwi.ma"),
    ]
    assert campaign.target("maroc-telecom").name["ary"] == "اتصالات المغرب"
    assert campaign.time_zone == "Africa/Casablanca"
    assert campaign.start == date(2016, 2, 26)
    assert set(campaign.hashtags) == {"#OPEUnlike", "#خريتو", "#ضمير_مواطن"}


def test_bundled_action_days_and_events_match_the_2016_timeline(campaign):
    days = {(d.kind, d.start, d.end) for d in campaign.action_days}
    assert days == {
        ("phone_shutdown", date(2016, 1, 16), date(2016, 1, 17)),
        ("unlike_wave", date(2016, 2, 26), date(2016, 2, 26)),
        ("boycott", date(2016, 3, 31), date(2016, 3, 31)),
    }
    events = {e.id: (e.start, e.end) for e in campaign.events}
    assert events["voip-blocked-adsl"] == (date(2016, 2, 26), date(2016, 2, 26))
    assert events["voip-restored"] == (date(2016, 11, 4), date(2016, 11, 4))
    assert events["voip-blocked-mobile"] == (date(2016, 1, 1), date(2016, 1, 6))
    assert all(e.sources for e in campaign.events)


def test_bundled_reports_are_the_reported_figures_with_sources(campaign):
    figures = {(r.target, r.start, r.loss, r.loss_percent, r.qualifier) for r in campaign.reports}
    assert figures == {
        ("maroc-telecom", date(2016, 2, 27), 60000, None, "more_than"),
        ("meditel", date(2016, 2, 27), 40000, None, "more_than"),
        ("inwi", date(2016, 2, 27), 45000, None, "more_than"),
        ("maroc-telecom", date(2016, 2, 27), 123380, None, "exact"),
        ("meditel", date(2016, 2, 27), 94282, None, "exact"),
        ("inwi", date(2016, 2, 27), 101062, None, "exact"),
        ("", date(2016, 2, 28), 100000, None, "about"),
        ("maroc-telecom", date(2016, 2, 28), 137500, 5.62, "about"),
        ("meditel", date(2016, 2, 28), None, 4.84, "exact"),
        ("inwi", date(2016, 2, 28), None, 5.57, "exact"),
        ("maroc-telecom", date(2016, 3, 1), 200000, None, "about"),
        ("meditel", date(2016, 3, 1), 163000, None, "more_than"),
        ("inwi", date(2016, 3, 1), 170000, None, "more_than"),
    }
    assert all(r.sources for r in campaign.reports)
    texts = [r for r in campaign.reports if r.note]
    assert all(set(r.note) == {"en", "fr", "ary"} for r in texts)


def _break(document: dict, path: list, value) -> dict:
    broken = copy.deepcopy(document)
    node = broken
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return broken


SOURCE_DATE = ["action_days", 1, "sources", 1, "date"]  # TelQuel's article on the unlike wave


def _at(path: list) -> str:
    """The field a path names in an error: ``action_days[1].sources[1].date``."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else f".{key}" if text else key
    return text


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        (["format"], "something-else", "format", "must be"),
        (["version"], 99, "version", "newer than this app"),
        (["version"], "1", "version", "whole number"),
        (["time_zone"], "Mars/Olympus", "time_zone", "time zone"),
        (["targets"], [], "targets", "at least one page"),
        (["targets"], KeyError, "targets", "is missing"),
        (["targets", 0, "page_url"], "http://www.facebook.com/x", "targets[0].page_url", "https"),
        (["targets", 1, "page_url"], "https://evil.example/fb", "targets[1].page_url", "https"),
        (["targets", 2, "id"], "maroc-telecom", "targets[2].id", "used twice"),
        (["targets", 0, "id"], "Maroc Telecom", "targets[0].id", "lower-case"),
        (["targets", 0, "name"], {"de": "x"}, "targets[0].name.de", "unknown language"),
        (["targets", 0, "name"], {}, "targets[0].name", "at least one language"),
        (["action_days", 0, "start"], "16/01/2016", "action_days[0].start", "YYYY-MM-DD"),
        (["action_days", 0, "end"], "2016-01-01", "action_days[0].end", "before the start"),
        (["action_days", 0, "kind"], "party", "action_days[0].kind", "must be one of"),
        (["events", 0, "sources"], [], "events[0].sources", "at least one source"),
        (["reports", 0, "target"], "nobody", "reports[0].target", "not one of"),
        (["reports", 0, "loss"], -5, "reports[0].loss", "from 0 to"),
        (["reports", 0, "qualifier"], "roughly", "reports[0].qualifier", "must be one of"),
        (["reports", 0, "sources"], KeyError, "reports[0].sources", "is missing"),
        (["hashtags", 0], "nohash", "hashtags[0]", "starting with #"),
        (["reports", 0, "date_given"], "no", "reports[0].date_given", "true or false"),
        (["reports", 0, "date_given"], 0, "reports[0].date_given", "true or false"),
        (["action_days", 0, "sources", 0, "name"], {}, "action_days[0].sources[0].name", "one"),
        (
            ["action_days", 0, "sources", 0, "name"],
            {"de": "x"},
            "action_days[0].sources[0].name.de",
            "unknown language",
        ),
        (["action_days", 0, "sources", 0, "name"], 5, "action_days[0].sources[0].name", "text"),
        (SOURCE_DATE, "27 Feb 2016", _at(SOURCE_DATE), "YYYY-MM-DD"),
        (SOURCE_DATE, "1999-12-31", _at(SOURCE_DATE), "must be between"),
        (SOURCE_DATE, 20160227, _at(SOURCE_DATE), "YYYY-MM-DD"),
        (["action_days", 1, "sources", 1, "via"], "", "action_days[1].sources[1].via", "non-empty"),
        (
            ["events", 0, "sources", 0, "title"],
            {"de": "x"},
            "events[0].sources[0].title.de",
            "unknown",
        ),
    ],
)
def test_a_broken_campaign_names_the_field_and_the_problem(document, path, value, field, problem):
    with pytest.raises(CampaignError) as caught:
        parse_campaign(_break(document, path, value), "test.json")
    assert caught.value.where == field
    assert problem in caught.value.problem
    assert field in str(caught.value) and "test.json" in str(caught.value)


def test_a_report_without_any_figure_is_refused(document):
    broken = _break(document, ["reports", 0, "loss"], KeyError)
    with pytest.raises(CampaignError) as caught:
        parse_campaign(broken)
    assert caught.value.where == "reports[0]"


# One problem per section, in the order parse_campaign checks them: "start" must be an object
# before the feed is read, but its date is read after the name.
SECTION_PROBLEMS = [
    (["format"], "x", "format"),
    (["version"], 0, "version"),
    (["id"], "Bad Id", "id"),
    (["time_zone"], "Mars/Olympus", "time_zone"),
    (["targets", 0, "page_url"], "https://example.org/", "targets[0].page_url"),
    (["action_days", 0, "kind"], "picnic", "action_days[0].kind"),
    (["events", 0, "sources"], [], "events[0].sources"),
    (["reports", 0, "loss"], -1, "reports[0].loss"),
    (["hashtags", 0], "no-hash", "hashtags[0]"),
    (["measure"], "views", "measure"),
    (["start"], 1, "start"),
    (["feed"], {"mirrors": []}, "feed.mirrors"),
    (["name"], {}, "name"),
    (["start", "date"], "soon", "start.date"),
]


@pytest.mark.parametrize("first", range(len(SECTION_PROBLEMS) - 1))
def test_of_several_problems_the_first_section_checked_is_reported(document, first):
    path, value, field = SECTION_PROBLEMS[first]
    for later_path, later_value, _ in SECTION_PROBLEMS[first + 1 :]:
        broken = _break(_break(document, later_path, later_value), path, value)
        with pytest.raises(CampaignError) as caught:
            parse_campaign(broken)
        assert caught.value.where == field


def test_invalid_json_names_the_line(tmp_path: Path):
    path = tmp_path / "c.json"
    path.write_text('{\n  "format": \n}', encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    assert "line 3" in str(caught.value)


def test_not_utf8_is_refused():
    with pytest.raises(CampaignError, match="UTF-8"):
        parse_campaign_bytes(b"\xff\xfe{", "x.json")


def test_a_valid_file_on_disk_loads(tmp_path: Path, document):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_campaign(path).id == "ma-voip-2016"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.facebook.com/maroctelecom", True),
        ("https://facebook.com/inwi.ma", True),
        ("https://m.facebook.com/inwi.ma", True),
        ("http://www.facebook.com/maroctelecom", False),
        ("https://www.facebook.com.evil.example/x", False),
        ("https://user@www.facebook.com/x", False),
        ("https://www.facebook.com:8443/x", False),
        ("https://www.facebook.com/", False),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
    ],
)
def test_only_https_facebook_pages_can_be_opened(url, ok):
    assert is_facebook_page_url(url) is ok


def test_sources_carry_their_date_via_and_article_as_fields(campaign):
    unlike_wave = next(d for d in campaign.action_days if d.kind == "unlike_wave")
    telquel = next(s for s in unlike_wave.sources if s.name == "TelQuel")
    assert telquel.published == date(2016, 2, 27)
    boycott = next(d for d in campaign.action_days if d.kind == "boycott")
    febrayer = next(s for s in boycott.sources if s.name == "Febrayer.com")
    assert (febrayer.via, febrayer.article, febrayer.published) == ("Maghress", "331497", None)
    # a name written in each language: the site's own Arabic name in Darija
    assert febrayer.display_name("ary") == "فبراير.كوم"
    assert febrayer.display_name("fr") == febrayer.display_name("en") == "Febrayer.com"
    # every source names its publication only: no date or "via" left in a name
    names = [s.name for item in (*campaign.action_days, *campaign.events) for s in item.sources]
    assert not [n for n in names if "20" in n or " via " in n or "(" in n]


def test_a_campaign_file_whose_sources_have_no_date_is_still_valid(document):
    for item in (*document["action_days"], *document["events"], *document["reports"]):
        for source in item.get("sources", []):
            source.pop("date", None)
            source.pop("via", None)
            source.pop("article", None)
            source.pop("title", None)
    campaign = parse_campaign(document)
    assert all(s.published is None and not s.via for d in campaign.action_days for s in d.sources)


def test_a_report_may_say_it_gives_no_date_for_its_figure(campaign):
    """2016's Sefroupress figures ("in one day") have no date of their own: the file says so
    with ``date_given``; every other report gives its date."""
    undated = {r.id for r in campaign.reports if not r.date_given}
    assert undated == {"sefroupress-maroc-telecom", "sefroupress-meditel", "sefroupress-inwi"}
    # the field replaces the notes that said it
    assert not any("date" in r.note.get("en", "") for r in campaign.reports)


def test_a_source_name_per_language_is_written_back_as_it_was_read(document):
    campaign = parse_campaign(document)
    febrayer = campaign.action_days[2].sources[1]
    assert febrayer.as_document()["name"] == {
        "en": "Febrayer.com",
        "fr": "Febrayer.com",
        "ary": "فبراير.كوم",
    }
    assert campaign.action_days[2].sources[0].as_document()["name"] == "badil.info"
