"""The tracker's round against a Graph API emulator on 127.0.0.1: it stops as soon as an answer
says the app is at its limit, waits as long as the usage headers say (at most a day), says why in
the user's language, and refuses answers that are not a page's count, naming the field."""

from __future__ import annotations

import json
import random
import time
from datetime import timedelta

import pytest
from werkzeug import Response

from campaign_gui.core.graph_api.client import GraphClient
from campaign_gui.core.graph_api.throttle import (
    MAX_WAIT,
    Problem,
    Quota,
    SlowDown,
    Usage,
    read_usage,
    slow_down,
)
from campaign_gui.core.i18n import set_language
from campaign_gui.core.tracker import next_delay, slow_down_message, track_round

TOKEN = "EAAtesttoken1234567890abcdef"
PAGES = {"maroctelecom": 2_450_000, "orangemaroc": 1_900_000, "inwi.ma": 1_800_000}
BUC = "X-Business-Use-Case-Usage"


@pytest.fixture
def api(httpserver):
    client = GraphClient(TOKEN, api_base=httpserver.url_for("/"))
    yield client
    client.close()


def _answer(likes: int, **headers: str) -> Response:
    return Response(
        json.dumps({"fan_count": likes, "followers_count": likes + 1}),
        content_type="application/json",
        headers=headers,
    )


def _serve_every_page(httpserver, first_headers: dict[str, str]) -> None:
    for i, (page, likes) in enumerate(PAGES.items()):
        httpserver.expect_request(f"/v23.0/{page}").respond_with_response(
            _answer(likes, **(first_headers if i == 0 else {}))
        )


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"X-App-Usage": '{"call_count": 100, "total_cputime": 3, "total_time": 4}'}, 60),
        ({"X-Page-Usage": '{"call_count": 100}'}, 60),
        ({BUC: json.dumps({"1": [{"call_count": 98, "estimated_time_to_regain_access": 19}]})}, 19),
    ],
)
def test_a_round_stops_as_soon_as_an_answer_says_the_app_is_at_its_limit(
    api, httpserver, campaign, clock, headers, wait
):
    _serve_every_page(httpserver, headers)
    result = track_round(api, campaign, clock.now())
    assert len(httpserver.log) == 1  # the other two pages were not requested
    assert [o.likes for o in result.counts] == [2_450_000]  # what was read is kept
    assert result.slow_down is not None
    assert result.wait == timedelta(minutes=wait)
    assert result.unread == 2


def test_a_usage_under_the_limit_reads_every_page(api, httpserver, campaign, clock):
    _serve_every_page(httpserver, {"X-App-Usage": '{"call_count": 99}'})
    result = track_round(api, campaign, clock.now())
    assert len(httpserver.log) == 3 and len(result.counts) == 3
    assert result.slow_down is None and result.wait == timedelta(0)


def test_a_throttling_error_stops_the_round_and_waits_as_the_headers_say(
    api, httpserver, campaign, clock
):
    usage = {"7": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 40000}]}
    httpserver.expect_request("/v23.0/maroctelecom").respond_with_response(
        Response(
            json.dumps({"error": {"code": 80001, "message": "too many calls"}}),
            status=400,
            headers={BUC: json.dumps(usage)},
        )
    )
    result = track_round(api, campaign, clock.now())
    assert len(httpserver.log) == 1
    assert result.errors == [] and result.counts == []
    assert result.wait == MAX_WAIT == timedelta(days=1)  # 40,000 minutes asked: a day, then look
    assert "code 80001" in result.slow_down.detail


# -- the wait policy: pure functions of the answers (and a random draw for the back-off) --------


def test_usage_readings_name_the_quota_and_the_wait():
    assert read_usage({}) is None
    assert read_usage({"X-App-Usage": '{"call_count": 40, "total_time": 3}'}) == Usage(
        Quota.APP_CALLS, 40, 0.0
    )
    assert read_usage({"x-app-usage": '{"call_count": 10, "total_cputime": 100}'}) == Usage(
        Quota.APP_TIME, 100, 3600.0
    )
    buc = {"1": [{"call_count": 3, "estimated_time_to_regain_access": 2}, {"call_count": 100}]}
    assert read_usage({BUC: json.dumps(buc)}) == Usage(Quota.PAGES, 100, 3600.0)
    assert read_usage({"X-Page-Usage": '{"call_count": 100, "estimated_time_to_regain_access": 5}'})
    assert read_usage({"X-App-Usage": "not json"}) is None


def test_slow_down_takes_the_headers_then_a_back_off_and_never_more_than_a_day():
    rng = random.Random(1)
    by_headers = slow_down(Usage(Quota.PAGES, 100, 19 * 60.0), 32, 0, rng, "detail")
    assert by_headers.wait == timedelta(minutes=19)
    by_code = slow_down(None, 17, 0, rng, "detail")
    assert timedelta(seconds=30) <= by_code.wait <= timedelta(seconds=60)
    assert slow_down(Usage(Quota.PAGES, 100, 10**6 * 60.0), 4, 0, rng, "").wait == MAX_WAIT


def test_the_next_round_is_never_sooner_than_the_interval(api, httpserver, campaign, clock):
    _serve_every_page(
        httpserver, {BUC: json.dumps({"1": [{"estimated_time_to_regain_access": 2}]})}
    )
    result = track_round(api, campaign, clock.now())
    assert next_delay(result, timedelta(minutes=10)) == timedelta(minutes=10)
    assert next_delay(result, timedelta(minutes=1)) == timedelta(minutes=2)


# -- what the organiser is told --------------------------------------------------------------------

APP_FULL = SlowDown(timedelta(minutes=60), Usage(Quota.APP_CALLS, 100, 3600.0), 4, "")


def test_the_wait_is_said_with_its_reason_and_the_time_of_the_next_round(clock):
    now = clock.now()  # 10:30 in Casablanca (+01:00)
    assert slow_down_message(APP_FULL, now, timedelta(minutes=60), clock.zone, once=False) == (
        "Meta asks to slow down (your Meta app used 100% of the calls it is allowed): "
        "the next round is at 11:30\u202fAM, in 60 minutes."
    )
    once = slow_down_message(APP_FULL, now, timedelta(minutes=60), clock.zone, once=True)
    assert once == (
        "Meta asks to slow down (your Meta app used 100% of the calls it is allowed): the pages "
        "not read yet are "
        "left for another run; the app will not read them on its own. Try again at 11:30\u202fAM, "
        "in 60 minutes."
    )
    complete = slow_down_message(APP_FULL, now, timedelta(hours=1), clock.zone, once=True, unread=0)
    assert complete == (
        "Meta asks to slow down (your Meta app used 100% of the calls it is allowed): every page "
        "was read, but run "
        "it again no sooner than 11:30\u202fAM, in 60 minutes."
    )
    by_code = SlowDown(timedelta(hours=5), None, 17, "")
    assert slow_down_message(by_code, now, timedelta(hours=5), clock.zone, once=False) == (
        "Meta asks to slow down (too many calls, error 17): the next round is at 3:30\u202fPM, "
        "in 5 hours."
    )
    tomorrow = slow_down_message(by_code, now, timedelta(hours=20), clock.zone, once=False)
    assert "10/\u206019/\u206028,\u00a06:30\u202fAM, in 20 hours." in tomorrow  # the day too


def test_the_wait_is_said_in_french_and_darija(clock):
    now = clock.now()
    set_language("fr")
    assert slow_down_message(APP_FULL, now, timedelta(minutes=60), clock.zone, once=False) == (
        "Meta demande de ralentir (votre application Meta a utilisé 100\u00a0% des appels qui "
        "lui sont permis)\u00a0: la prochaine série de relevés aura lieu à 11:30, soit dans 60 "
        "minutes."
    )
    set_language("ary")
    said = slow_down_message(APP_FULL, now, timedelta(minutes=60), clock.zone, once=True)
    assert "Meta" in said and "11:30" in said and "60" in said and "دقيقة" in said


# -- answers that are not a page's count --------------------------------------------------

BAD_ANSWERS = {
    "negative": ({"fan_count": -5, "followers_count": 10}, "fan_count", "-5"),
    "too large": ({"fan_count": 10**30, "followers_count": 10}, "fan_count", "1000000000000"),
    "a string": ({"fan_count": 2, "followers_count": "2100000"}, "followers_count", "'2100000'"),
    "cut short": (b'{"fan_count": 2450000, "followers_co', None, "JSON"),
}


@pytest.mark.parametrize(("body", "field", "cause"), BAD_ANSWERS.values(), ids=BAD_ANSWERS)
def test_an_answer_that_is_not_a_count_is_said_so_and_not_kept(
    api, httpserver, campaign, clock, body, field, cause
):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    httpserver.expect_request("/v23.0/maroctelecom").respond_with_data(
        data, content_type="application/json"
    )
    for page in ("orangemaroc", "inwi.ma"):
        httpserver.expect_request(f"/v23.0/{page}").respond_with_json({"fan_count": 7})
    result = track_round(api, campaign, clock.now())
    assert [o.target for o in result.counts] == ["meditel", "inwi"]  # the others are read
    (error,) = result.errors
    assert error.verdict.problem is Problem.BAD_ANSWER
    assert "answered something that is not a page's count" in error.message
    assert "could not be reached" not in error.message
    if field:
        assert f"({field})" in error.message and field in error.detail
    assert cause in error.detail


def test_nested_answers_and_headers_are_not_counts_and_the_round_goes_on(
    api, httpserver, campaign, clock
):
    """JSON nested thousands deep (in a body or a usage header) is an answer like any bad one:
    the other pages are still read and kept, and nothing escapes the round."""
    deep = "[" * 5000
    httpserver.expect_request("/v23.0/maroctelecom").respond_with_response(
        Response(deep, content_type="application/json", headers={"X-App-Usage": deep})
    )
    httpserver.expect_request("/v23.0/orangemaroc").respond_with_response(
        Response('{"error": ' * 900 + "1" + "}" * 900, status=400)
    )
    httpserver.expect_request("/v23.0/inwi.ma").respond_with_json({"fan_count": 7})
    result = track_round(api, campaign, clock.now())
    assert [o.target for o in result.counts] == ["inwi"]
    assert result.errors[0].verdict.problem is Problem.BAD_ANSWER


def test_a_page_that_answers_a_byte_at_a_time_is_left_at_its_deadline(
    api, httpserver, campaign, clock, monkeypatch
):
    """Every read gets a byte in time, so no read ever times out: the request's own deadline
    ends it, and the round goes on to the next page."""
    from campaign_gui.core.graph_api import client

    monkeypatch.setattr(client, "REQUEST_DEADLINE", 1.0)

    def dribble():
        for byte in b'{"fan_count": 2450000}':
            time.sleep(0.2)
            yield bytes([byte])

    httpserver.expect_request("/v23.0/maroctelecom").respond_with_response(
        Response(dribble(), content_type="application/json")
    )
    for page in ("orangemaroc", "inwi.ma"):
        httpserver.expect_request(f"/v23.0/{page}").respond_with_json({"fan_count": 7})
    started = time.monotonic()
    result = track_round(api, campaign, clock.now())
    assert time.monotonic() - started < 3
    assert [o.target for o in result.counts] == ["meditel", "inwi"]
    assert "could not be reached or did not answer" in result.errors[0].message
