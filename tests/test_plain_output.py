"""Text for a terminal or a calendar carries no invisible direction marks (Windows consoles and
some calendar apps draw them as boxes); the window keeps them, where Darija needs them."""

from __future__ import annotations

import re
from datetime import date

from campaign_gui.core.calendar_export import action_days_calendar
from campaign_gui.core.campaign import ActionDay
from campaign_gui.core.formatting import format_percent
from campaign_gui.core.i18n import set_language, without_invisible_marks

from .conftest import run_app

MARKS = re.compile("[\u200e\u200f\u061c\u2060\u202a-\u202e\u2066-\u2069]")


def test_the_marks_go_and_visible_spaces_stay():
    text = "\u2068Maroc Telecom\u2069\u00a0:\u202f1\u2013\u206010 mars \u202b27 فبراير\u202c"
    assert without_invisible_marks(text) == "Maroc Telecom\u00a0:\u202f1\u201310 mars 27 فبراير"


def test_a_darija_calendar_has_no_marks_in_its_text(campaign, clock):
    set_language("ary")
    try:
        day = ActionDay(
            id="mine",
            start=date(2016, 3, 20),
            end=date(2016, 3, 20),
            title={"ary": "طفيو التيليفونات فـ Maroc Telecom"},
            kind="switch_off",
            details={"ary": "من 10 حتى لـ 12"},
        )
        text = action_days_calendar(campaign, [*campaign.action_days, day], clock.now())
    finally:
        set_language("en")
    decoded = text.decode("utf-8")
    assert "طفيو التيليفونات" in decoded and "Maroc Telecom" in decoded
    assert not MARKS.search(decoded)


def test_a_darija_command_prints_no_marks(tmp_path):
    out = run_app(tmp_path, "--lang", "ary", "status")
    assert out.returncode == 0, out.stderr
    assert "اتصالات المغرب" in out.stdout and "BFM Business" in out.stdout  # a Latin source
    assert not MARKS.search(out.stdout + out.stderr), ascii(out.stdout)


def test_percentages_keep_their_sign_and_spaces_in_each_language():
    try:
        set_language("fr")
        assert format_percent(-5.62) == "\u22125,62\u00a0%"
        set_language("ary")
        assert format_percent(-5.62) == "\u2066\u22125,62%\u2069"  # apart from the Arabic
        set_language("en")
        assert format_percent(4.84) == "4.84%"
    finally:
        set_language("en")
