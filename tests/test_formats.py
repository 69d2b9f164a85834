"""Numbers, dates and relative days as each language writes them (Babel's data, checked)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from campaign_gui.core.formatting import (
    format_axis_tick,
    format_day_span,
    format_loss,
    format_number,
    format_relative_day,
)
from campaign_gui.core.i18n import (
    language_for_locale,
    ngettext,
    pick,
    pseudo,
    set_language,
)

MOROCCAN_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
]
FRENCH_MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def test_darija_dates_use_the_moroccan_month_names_and_western_digits():
    set_language("ary")
    for month, name in enumerate(MOROCCAN_MONTHS, start=1):
        text = format_day_span(date(2016, month, 16), date(2016, month, 16))
        assert text == f"16\u00a0{name}\u00a02016"  # kept on one line
    assert (
        format_day_span(date(2016, 1, 16), date(2016, 1, 17)) == "16–\u206017\u00a0يناير\u00a02016"
    )
    assert format_number(60000) == "60.000"
    assert not any("\u0660" <= c <= "\u0669" for c in format_loss("more_than", 137500))


def test_french_dates_and_numbers_are_french():
    set_language("fr")
    for month, name in enumerate(FRENCH_MONTHS, start=1):
        assert format_day_span(date(2016, month, 16), date(2016, month, 16)) == (
            f"16\u00a0{name}\u00a02016"
        )
    assert format_number(60000) == "60\u202f000"
    assert format_loss("about", 137500) == "environ 137\u202f500"
    zone = ZoneInfo("Africa/Casablanca")
    assert format_axis_tick(1_456_574_400, 86_400, zone) == "27 févr."


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("en", 0, "today"),
        ("en", 3, "in 3 days"),
        ("en", -3, "3 days ago"),
        ("fr", 3, "dans 3 jours"),
        ("fr", -1, "hier"),
        ("fr", -70, "il y a 2 mois"),
        ("ary", 1, "غدا"),
        ("ary", 3, "بعد 3 أيام"),
        ("ary", 15, "بعد 15 يوم"),
        ("ary", -2, "هادي يومين"),
        ("ary", -3700, "هادي 10 عوام"),
        ("ary", -5000, "هادي 13 عام"),
    ],
)
def test_relative_days(language, days, expected):
    set_language(language)
    today = date(2026, 11, 28)
    assert format_relative_day(date.fromordinal(today.toordinal() + days), today) == expected


def test_darija_plurals_follow_arabic_rules():
    set_language("ary")
    forms = {n: ngettext("in {n} day", "in {n} days", n).format(n=n) for n in (1, 2, 5, 11, 102)}
    assert forms == {
        1: "بعد نهار",
        2: "بعد يومين",
        5: "بعد 5 أيام",
        11: "بعد 11 يوم",
        102: "بعد 102 يوم",
    }


@pytest.mark.parametrize(
    ("system", "language"),
    [
        ("ar_MA", "ary"),
        ("ar_SA.UTF-8", "ary"),
        ("fr_FR", "fr"),
        ("fr-MA", "fr"),
        ("en_US", "en"),
        ("de_DE", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_first_start_follows_the_system_language(system, language):
    assert language_for_locale(system) == language


def test_pseudo_translation_marks_and_lengthens_but_keeps_placeholders():
    set_language("qps")
    text = pseudo("Imported {count} like counts.")
    assert text.startswith("⟦") and text.endswith("⟧")
    assert "{count}" in text and len(text) > len("Imported {count} like counts.") * 1.3
    assert pick({"en": "Maroc Telecom", "ary": "اتصالات المغرب"}).startswith("⟦")
    assert "&F" in pseudo("&File")


def test_countdown_to_an_action_day():
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from campaign_gui.core.formatting import format_countdown

    set_language("en")
    zone = ZoneInfo("Africa/Casablanca")
    day = date(2027, 5, 2)
    starts = datetime(2027, 5, 2, tzinfo=zone)
    assert format_countdown(day, day, starts - timedelta(days=5), zone) == "in 5 days"
    assert format_countdown(day, day, starts - timedelta(hours=30), zone) == "in 30 hours"
    assert format_countdown(day, day, starts - timedelta(minutes=20), zone) == "in 20 minutes"
    assert format_countdown(day, day, starts + timedelta(hours=10), zone) == "under way today"
    assert format_countdown(day, day, starts + timedelta(days=3), zone) == "3 days ago"


def test_sources_are_cited_in_each_language_with_its_own_list_join(campaign):
    from campaign_gui.core.formatting import format_sources

    days = {d.kind: d for d in campaign.action_days}
    set_language("en")
    assert format_sources(days["unlike_wave"].sources) == (
        "Arabi21, TelQuel (Feb\u00a027,\u00a02016), labass.net (article 9348)"
    )
    assert format_sources(days["boycott"].sources) == (
        "badil.info (article 67110-2), Febrayer.com via Maghress (article 331497)"
    )
    set_language("fr")
    assert format_sources(days["unlike_wave"].sources) == (
        "Arabi21, TelQuel (27\u00a0févr.\u00a02016), labass.net (article n°\u00a09348)"
    )
    set_language("ary")
    # Latin names isolated inside Darija, the Arabic comma between them, the date in Darija
    assert format_sources(days["unlike_wave"].sources) == (
        "\u2068Arabi21\u2069، \u2068TelQuel\u2069 (27\u00a0فبراير\u00a02016)، "
        "\u2068labass.net\u2069 (المقال رقم \u20689348\u2069)"
    )
    assert format_sources(days["boycott"].sources).endswith(
        "فبراير.كوم عن طريق \u2068Maghress\u2069 (المقال رقم \u2068331497\u2069)"
    )
    set_language("en")


def test_hashtags_are_isolated_where_their_direction_differs():
    from campaign_gui.core.formatting import format_hashtags

    tags = ("#OPEUnlike", "#خريتو")
    set_language("ary")
    # a right-to-left line, whatever its first hashtag
    assert format_hashtags(tags) == "\u200f\u2068#OPEUnlike\u2069 #خريتو"
    set_language("fr")
    assert format_hashtags(tags) == "\u200e#OPEUnlike \u2068#خريتو\u2069"
    set_language("en")


@pytest.mark.parametrize("language", ["en", "fr", "ary"])
def test_dates_and_spans_cannot_be_broken_across_lines(language):
    set_language(language)
    spans = [
        format_day_span(date(2016, 3, 1), date(2016, 3, 10)),
        format_day_span(date(2016, 1, 30), date(2016, 2, 2)),
        format_day_span(date(2016, 12, 30), date(2017, 1, 2)),
        format_day_span(date(2016, 2, 27), date(2016, 2, 27)),
    ]
    for text in spans:
        # no breaking space (U+0020, thin U+2009) and a word joiner after every dash
        assert " " not in text and "\u2009" not in text, text
        assert text.count("–") == text.count("–\u2060"), text
    set_language("en")


def test_a_moment_writes_its_day_as_a_reported_day_is_written():
    """One date format on a screen: a count's time ("27 فبراير 2016، 11:00") writes its day as a
    press figure's day ("27 فبراير 2016") in every language, never "27/02/2016" beside it."""
    from datetime import datetime

    from campaign_gui.core.formatting import format_moment

    zone = ZoneInfo("Africa/Casablanca")
    for language in ("ary", "fr", "en"):
        set_language(language)
        for day in (date(2016, 2, 27), date(2016, 3, 1)):
            moment = format_moment(datetime(2016, day.month, day.day, 11, tzinfo=zone), zone)
            assert moment.startswith(format_day_span(day, day)), (language, moment)
    set_language("en")


def test_a_notice_takes_the_first_line_cut_after_a_whole_word():
    from campaign_gui.core.formatting import NOTICE_MOST, first_line_excerpt

    assert first_line_excerpt("What's new: fixes.") == "What's new: fixes."
    assert first_line_excerpt("\n  Fixes.\n\nThe graph, faster.") == "Fixes.…"
    darija = "شنو جديد: " + "الرسم ديال الأرقام ولّا أسرع " * 40
    cut = first_line_excerpt(darija + "\nسطر آخر")
    assert len(cut) <= NOTICE_MOST
    assert cut.endswith("…") and darija.startswith(cut[:-1])
    assert darija[len(cut) - 1] == " "  # the cut falls between words
    notes = "Nouveautés : " + "des corrections " * 700  # 11,000 characters, one line
    cut = first_line_excerpt(notes)
    assert cut == "Nouveautés :" + " des corrections" * 11 + " des…"
    assert len(cut) == 193
    assert first_line_excerpt("x" * 300) == "x" * (NOTICE_MOST - 1) + "…"  # one long word
    assert first_line_excerpt("") == ""
