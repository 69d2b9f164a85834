"""The Graph API client against an emulator on 127.0.0.1: counts, every error kind, the usage
headers, a null fan_count, oversized and broken answers, a token that stays in its header."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest
from werkzeug import Response

from campaign_gui.core.errors import UserError
from campaign_gui.core.graph_api.client import (
    MAX_ANSWER_BYTES,
    GraphApiError,
    GraphClient,
    check_api_base,
)
from campaign_gui.core.graph_api.throttle import Problem, classify, usage_wait
from campaign_gui.core.i18n import set_language

TOKEN = "EAAtesttoken1234567890abcdef"
PAGE = "/v23.0/maroctelecom"


@pytest.fixture
def api(httpserver):
    set_language("en")
    client = GraphClient(TOKEN, api_base=httpserver.url_for("/"))
    yield client
    client.close()


def _error(code: int, subcode: int | None = None, status: int = 400) -> Response:
    body = {"error": {"message": "msg", "type": "OAuthException", "code": code}}
    if subcode is not None:
        body["error"]["error_subcode"] = subcode
    return Response(json.dumps(body), status=status, content_type="application/json")


def test_counts_are_read_with_the_token_in_the_header_only(api, httpserver):
    httpserver.expect_request(
        PAGE,
        query_string={"fields": "fan_count,followers_count"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    ).respond_with_json({"fan_count": 2450000, "followers_count": 2600000, "id": "1"})
    counts = api.page_counts("maroctelecom")
    assert (counts.likes, counts.followers) == (2_450_000, 2_600_000)
    request, _response = httpserver.log[0]
    assert TOKEN not in request.url


def test_a_null_fan_count_keeps_the_followers(api, httpserver):
    httpserver.expect_request(PAGE).respond_with_json({"fan_count": None, "followers_count": 9})
    counts = api.page_counts("maroctelecom")
    assert (counts.likes, counts.followers) == (None, 9)


@pytest.mark.parametrize(
    ("code", "status", "problem", "retry", "says"),
    [
        (4, 400, Problem.THROTTLED, True, "slow down"),
        (17, 400, Problem.THROTTLED, True, "slow down"),
        (32, 400, Problem.THROTTLED, True, "slow down"),
        (613, 400, Problem.THROTTLED, True, "slow down"),
        (80001, 400, Problem.THROTTLED, True, "slow down"),
        (190, 401, Problem.TOKEN, False, "token has expired"),
        (10, 403, Problem.PERMISSION, False, "Page Public Metadata Access"),
        (200, 403, Problem.PERMISSION, False, "Page Public Metadata Access"),
        (299, 403, Problem.PERMISSION, False, "Page Public Metadata Access"),
        (803, 404, Problem.NOT_FOUND, False, "knows no page maroctelecom"),
        (100, 400, Problem.BAD_REQUEST, False, "refused the request"),
        (2, 503, Problem.SERVER, True, "trying again later"),
    ],
)
def test_each_error_code_says_what_to_do(api, httpserver, code, status, problem, retry, says):
    httpserver.expect_request(PAGE).respond_with_response(_error(code, status=status))
    with pytest.raises(GraphApiError) as caught:
        api.page_counts("maroctelecom")
    assert caught.value.verdict.problem is problem
    assert caught.value.verdict.retry is retry
    assert says in caught.value.message
    assert f"code {code}" in caught.value.detail


def test_usage_headers_say_how_long_to_wait(api, httpserver):
    buc = {"123": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 19}]}
    httpserver.expect_request(PAGE).respond_with_response(
        Response(
            _error(32).get_data(),
            status=400,
            headers={"X-Business-Use-Case-Usage": json.dumps(buc)},
            content_type="application/json",
        )
    )
    with pytest.raises(GraphApiError) as caught:
        api.page_counts("maroctelecom")
    assert caught.value.wait_seconds == 19 * 60


def test_usage_rules():
    assert usage_wait({}) == 0
    assert usage_wait({"X-App-Usage": '{"call_count": 40, "total_time": 3}'}) == 0
    assert usage_wait({"x-app-usage": '{"call_count": 100}'}) == 3600
    assert (
        usage_wait({"X-Page-Usage": '{"call_count": 5, "estimated_time_to_regain_access": 2}'})
        == 120
    )
    assert usage_wait({"X-App-Usage": "not json"}) == 0
    assert usage_wait({"X-App-Usage": '{"call_count": 1e308}'}) == 0
    assert usage_wait({"X-App-Usage": '{"call_count": true}'}) == 0
    assert usage_wait({"X-App-Usage": "[" * 20000}) == 0


def test_classify_without_a_code():
    assert classify(429, None).problem is Problem.THROTTLED
    assert classify(502, None).problem is Problem.SERVER
    assert classify(401, None).problem is Problem.TOKEN


@pytest.mark.parametrize(
    "answer",
    [
        {"fan_count": 10**30},
        {"fan_count": -1},
        {"fan_count": True},
        {"fan_count": "12"},
        {"fan_count": 1.5},
        [1, 2],
    ],
)
def test_an_answer_out_of_range_is_refused(api, httpserver, answer):
    httpserver.expect_request(PAGE).respond_with_json(answer)
    with pytest.raises(GraphApiError) as caught:
        api.page_counts("maroctelecom")
    assert caught.value.verdict.problem is Problem.BAD_ANSWER  # it answered: not unreachable
    assert "not a page's count" in caught.value.message


def test_an_oversized_answer_is_cut_off(api, httpserver):
    big = b'{"fan_count": 1, "x": "' + b"a" * (MAX_ANSWER_BYTES + 10) + b'"}'
    httpserver.expect_request(PAGE).respond_with_data(big, content_type="application/json")
    with pytest.raises(GraphApiError) as caught:
        api.page_counts("maroctelecom")
    assert "larger than" in caught.value.detail or "declares" in caught.value.detail


def test_a_timeout_is_a_server_problem(httpserver):
    released = threading.Event()

    def slow(_request):
        released.wait(5)
        return Response("{}", content_type="application/json")

    httpserver.expect_request(PAGE).respond_with_handler(slow)
    client = GraphClient(TOKEN, api_base=httpserver.url_for("/"))
    client._http.timeout = httpx.Timeout(0.3)
    with pytest.raises(GraphApiError) as caught:
        client.page_counts("maroctelecom")
    client.close()
    released.set()
    assert caught.value.verdict.problem is Problem.SERVER
    assert "Timeout" in caught.value.detail
    for _ in range(100):  # let the emulator finish the abandoned request before the next test
        if httpserver.log:
            break
        time.sleep(0.02)


def test_a_redirect_is_not_followed(api, httpserver):
    httpserver.expect_request(PAGE).respond_with_response(
        Response("", status=302, headers={"Location": "http://example.com/"})
    )
    with pytest.raises(GraphApiError) as caught:
        api.page_counts("maroctelecom")
    assert "HTTP 302" in caught.value.detail
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    "base",
    [
        "http://graph.facebook.com",
        "ftp://x",
        "https://u:p@x",
        "javascript:alert(1)",
        "https://x/?a=1",
    ],
)
def test_only_https_or_loopback_addresses(base):
    with pytest.raises(UserError):
        check_api_base(base)


@pytest.mark.parametrize("page", ["../me", "a/b", "", "x" * 101, "page?fields=x", "é"])
def test_page_ids_are_checked_before_any_request(api, httpserver, page):
    with pytest.raises(UserError):
        api.page_counts(page)
    assert httpserver.log == []


def test_the_token_never_reaches_an_error_detail(api, httpserver):
    httpserver.expect_request(PAGE).respond_with_response(
        Response(json.dumps({"error": {"message": f"bad token {TOKEN}", "code": 190}}), status=401)
    )
    with pytest.raises(GraphApiError) as caught:
        api.page_counts("maroctelecom")
    assert TOKEN not in caught.value.detail
