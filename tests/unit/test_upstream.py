"""HTTP to upstreams (retries, waits, deadlines, bodies, errors) against upstreams scripted in
memory: the real requests/urllib3 stack over a socket pair (tests/support/fake_http.py), with urllib3's
waits recorded instead of slept."""

from __future__ import annotations

import gzip
import time

import pytest
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.upstream import (
    USER_AGENT,
    DeadlineExceededError,
    IncompleteBodyError,
    PoliteRetry,
    RateLimitedError,
    RateLimitReset,
    UpstreamError,
    endpoint,
    get,
    make_session,
    send,
    time_limit,
)
from urllib3 import HTTPResponse

URL = "http://upstream.test/api"
# The conventions of docs/sources.md: X and GitHub send the reset's instant, Reddit the seconds left.
X_RESET = RateLimitReset("x-rate-limit-reset", epoch=True)
GITHUB_RESET = RateLimitReset("x-ratelimit-reset", epoch=True)
REDDIT_RESET = RateLimitReset("x-ratelimit-reset", epoch=False)


def answer(status: int, **headers: str) -> HTTPResponse:
    return HTTPResponse(body=b"", status=status, headers=headers, preload_content=False)


# Retries and the waits between them


def test_throttling_and_server_errors_are_retried_until_an_answer(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given an upstream answering 429, 500, 502, 503, 504, then 200
    upstreams.add("/api", *(Reply(status, b"busy") for status in (429, 500, 502, 503, 504)), Reply(200, b"done"))
    # When asked through a session allowing five retries
    response = get(make_session(retries=5, backoff=0.5), "test", URL)
    # Then the sixth answer is returned, after exponential waits (the first retry comes at once)
    assert response.content == b"done"
    assert len(upstreams.requests) == 6
    assert waits == [1.0, 2.0, 4.0, 8.0]


def test_retries_stop_at_the_limit_with_the_last_status(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given an upstream that stays unavailable
    upstreams.add("/api", Reply(503, b"down"))
    # When asked with two retries
    with pytest.raises(UpstreamError) as raised:
        get(make_session(retries=2, backoff=0), "test", URL)
    # Then it was asked three times, and the error names the source, URL, status and reason
    assert len(upstreams.requests) == 3
    assert str(raised.value) == f"test: HTTP 503 from {URL}: Service Unavailable"
    assert (raised.value.source, raised.value.status, raised.value.rate_limited) == ("test", 503, False)


def test_client_errors_are_not_retried_and_their_body_is_never_repeated(upstreams: ReplayServer) -> None:
    # Given an upstream answering 401 with a body that echoes the request's secret
    upstreams.add("/api", Reply(401, b"bad token: Bearer s3cret"))
    # When asked / Then once only, and the error says status and reason, not the body
    with pytest.raises(UpstreamError, match=r"HTTP 401 from .*: Unauthorized$") as raised:
        get(make_session(backoff=0), "test", URL)
    assert len(upstreams.requests) == 1
    assert "s3cret" not in str(raised.value)


def test_the_first_error_status_is_an_error(upstreams: ReplayServer) -> None:
    # Given a 400 (the lowest error status) and a 399 (not one)
    upstreams.add("/bad", Reply(400, b""))
    upstreams.add("/odd", Reply(399, b"fine"))
    # Then the first fails, saying so, and the second is an answer
    with pytest.raises(UpstreamError, match=r"HTTP 400 from .*: Bad Request$"):
        get(make_session(), "test", "http://upstream.test/bad")
    assert get(make_session(), "test", "http://upstream.test/odd").status_code == 399


def test_a_status_with_no_standard_reason_says_so(upstreams: ReplayServer) -> None:
    upstreams.add("/api", Reply(499, b""))
    with pytest.raises(UpstreamError, match=r"HTTP 499 from .*: unknown status$"):
        get(make_session(), "test", URL)


def test_a_post_is_tried_once(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given an upstream answering a POST with 503 (a retry could repeat its effect)
    upstreams.add("/api", Reply(503, b"busy"), Reply(200, b"ok"))
    # When posted / Then it fails with the one answer there was
    with pytest.raises(UpstreamError, match="HTTP 503"):
        send(make_session(), "test", "POST", URL, data=b"x")
    assert [request.method for request in upstreams.requests] == ["POST"]


def test_a_read_timeout_is_retried(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given an upstream whose first answer comes after the client's timeout
    upstreams.add("/api", Reply(200, b"late", delay=0.5), Reply(200, b"on time"))
    # When asked with a 0.1 s timeout / Then the retry's answer comes back
    assert get(make_session(backoff=0), "test", URL, timeout=0.1).content == b"on time"


def test_a_transport_failure_after_retries_names_its_kind_not_its_details(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given an upstream that never answers in time
    upstreams.add("/api", Reply(200, b"late", delay=0.3))
    # When asked with one retry and a short timeout
    with pytest.raises(UpstreamError) as raised:
        get(make_session(retries=1, backoff=0), "test", URL, timeout=0.05)
    # Then the error names the URL and the failure's kind, and no status
    assert str(raised.value) == f"test: request to {URL} failed after retries: ConnectionError"
    assert raised.value.status is None
    assert raised.value.rate_limited is False
    assert len(upstreams.requests) == 2


def test_every_wait_lasts_at_least_the_politeness_floor(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given a 502 without Retry-After (urllib3 would retry at once), then a 429 asking for 1 s
    upstreams.add("/api", Reply(502, b""), Reply(429, b"", {"Retry-After": "1"}), Reply(200, b"ok"))
    # When asked through a session whose floor is 3 s
    get(make_session(min_wait=3.0, backoff=0.01), "test", URL)
    # Then neither retry came sooner than 3 s
    assert waits == [3.0, 3.0]


def test_a_default_session_backs_off_exponentially_from_a_second(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given three 503s, then an answer
    upstreams.add("/api", Reply(503, b""), Reply(503, b""), Reply(503, b""), Reply(200, b"ok"))
    # When asked through a session with the default settings
    get(make_session(), "test", URL)
    # Then the retries came at once, after 2 s, after 4 s
    assert waits == [2.0, 4.0]


def test_a_default_session_waits_at_most_five_minutes_for_retry_after(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    upstreams.add("/api", Reply(503, b"", {"Retry-After": "3600"}), Reply(200, b"ok"))
    get(make_session(), "test", URL)
    assert waits == [300.0]


def test_retries_by_themselves_have_no_floor_and_bound_retry_after_at_five_minutes() -> None:
    # Given retries made as urllib3's, positional arguments included, with nothing of their own set
    retry = PoliteRetry(2)
    # Then they are urllib3's: the count given, no floor on waits, Retry-After cut at 300 s
    assert retry.total == 2
    assert retry.get_backoff_time() == 0
    assert retry.parse_retry_after("1000") == 300.0


def test_retry_after_is_honoured_up_to_its_bound(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given answers asking to wait 7 s, then an hour
    upstreams.add(
        "/api",
        Reply(503, b"", {"Retry-After": "7"}),
        Reply(503, b"", {"Retry-After": "3600"}),
        Reply(200, b"ok"),
    )
    # When asked through a session that waits at most 60 s
    get(make_session(max_retry_after=60.0), "test", URL)
    # Then it waited as asked, the hour cut to the bound
    assert waits == [7.0, 60.0]


@pytest.mark.parametrize(
    ("reset", "header", "value", "expected"),
    [
        (REDDIT_RESET, "x-ratelimit-reset", "12", 12.0),
        (X_RESET, "x-rate-limit-reset", "{now_plus_20}", 20.0),
        (GITHUB_RESET, "x-ratelimit-reset", "{now_plus_20}", 20.0),
    ],
)
def test_a_429_without_retry_after_waits_for_the_rate_limit_reset(
    upstreams: ReplayServer, waits: list[float], reset: RateLimitReset, header: str, value: str, expected: float
) -> None:
    # Given a 429 that says only when the rate limit resets, as this upstream writes it
    value = value.format(now_plus_20=int(time.time()) + 20)
    upstreams.add("/api", Reply(429, b"", {header: value}), Reply(200, b"ok"))
    # When asked through a session that knows the convention
    get(make_session(reset=reset, backoff=0), "test", URL)
    # Then it waited until the reset (to the second, for an instant)
    assert waits == [pytest.approx(expected, abs=1.5)]


def test_a_reset_header_on_a_server_error_does_not_delay_its_retry(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given a 503 carrying GitHub's reset header (GitHub sends it on every answer), an hour ahead
    upstreams.add("/api", Reply(503, b"", {"x-ratelimit-reset": str(int(time.time()) + 3600)}), Reply(200, b"ok"))
    # When asked / Then the retry came after the usual backoff (at once), not the reset
    get(make_session(reset=GITHUB_RESET, backoff=1.0), "test", URL)
    assert waits == []


@pytest.mark.parametrize("value", ["soon", "", "1e3", "-5"])
def test_a_reset_header_that_is_not_seconds_falls_back_to_backoff(value: str) -> None:
    assert REDDIT_RESET.wait(value, now=0.0) is None


def test_a_reset_value_is_read_as_the_upstream_writes_it() -> None:
    # Given the same header value read as an instant and as seconds remaining
    instant = RateLimitReset("reset", epoch=True)
    remaining = RateLimitReset("reset", epoch=False)
    # Then an instant counts from now, seconds remaining do not, and spaces around a number are fine
    assert instant.wait("1000", now=990.0) == 10.0
    assert remaining.wait(" 7.5 ", now=990.0) == 7.5


def test_a_429_with_no_usable_reset_waits_the_backoff() -> None:
    # Given retries that know a reset convention, and 429s lacking or garbling the header
    retry = PoliteRetry(total=3, min_wait=2.0, max_retry_after=60.0, reset=REDDIT_RESET)
    # Then no wait is asked, so the backoff applies; a usable one is waited whole, never less than the floor
    assert retry.get_retry_after(answer(429)) is None
    assert retry.get_retry_after(answer(429, **{"x-ratelimit-reset": "soon"})) is None
    assert retry.get_retry_after(answer(429, **{"x-ratelimit-reset": "1"})) == 2.0
    assert retry.get_retry_after(answer(429, **{"x-ratelimit-reset": "59"})) == 59.0
    # And without a convention, a 429's headers ask for nothing
    assert PoliteRetry(total=3).get_retry_after(answer(429, **{"x-ratelimit-reset": "5"})) is None


def test_retry_after_is_ignored_when_the_session_does_not_respect_it() -> None:
    retry = PoliteRetry(total=3, respect_retry_after_header=False, reset=REDDIT_RESET)
    assert retry.get_retry_after(answer(429, **{"Retry-After": "5"})) is None


def test_the_retry_settings_survive_each_attempt() -> None:
    # Given retries with a floor, a bound and a reset convention
    retry = PoliteRetry(total=3, backoff_factor=0.0, min_wait=2.0, max_retry_after=9.0, reset=X_RESET)
    # When urllib3 derives the next attempt's retries
    later = retry.new(total=2)
    # Then they keep all three
    assert (later.min_wait, later.max_retry_after, later.reset) == (2.0, 9.0, X_RESET)
    assert later.get_backoff_time() == 2.0
    assert later.parse_retry_after("30") == 9.0
    assert later.parse_retry_after("1") == 2.0


def test_the_session_retries_only_reads_and_says_who_asks() -> None:
    # Given a session with four retries and an extra header
    session = make_session(retries=4, headers={"Authorization": "Bearer t"})
    retry = session.get_adapter("https://upstream.test").max_retries
    # Then each kind of failure may be retried four times, reads only, on throttling and 5xx
    assert (retry.total, retry.connect, retry.read, retry.status) == (4, 4, 4, 4)
    assert retry.allowed_methods == frozenset({"GET", "HEAD"})
    assert set(retry.status_forcelist) == {429, 500, 502, 503, 504}
    assert retry.raise_on_status is False
    assert session.get_adapter("http://upstream.test").max_retries is retry
    assert session.headers["User-Agent"] == USER_AGENT
    assert session.headers["Authorization"] == "Bearer t"
    assert make_session().get_adapter("https://u.test").max_retries.total == 4


def test_requests_carry_the_user_agent(upstreams: ReplayServer) -> None:
    upstreams.add("/api", Reply(200, b"ok"))
    get(make_session(), "test", URL, params={"q": "a b"}, headers={"X-Extra": "1"})
    (request,) = upstreams.requests
    assert request.headers["User-Agent"] == USER_AGENT
    assert request.headers["X-Extra"] == "1"
    assert request.query == {"q": "a b"}


# Rate limits


@pytest.mark.parametrize(
    ("status", "headers", "limited"),
    [
        (429, {}, True),
        (403, {"x-ratelimit-remaining": "0"}, True),
        (403, {"Retry-After": "60"}, True),
        (403, {"x-ratelimit-remaining": "10"}, False),
        (403, {}, False),
        (401, {"x-ratelimit-remaining": "0"}, False),
    ],
)
def test_a_final_answer_says_whether_it_was_a_rate_limit(
    upstreams: ReplayServer, status: int, headers: dict[str, str], limited: bool
) -> None:
    upstreams.add("/api", Reply(status, b"", headers))
    with pytest.raises(UpstreamError) as raised:
        get(make_session(retries=0), "test", URL)
    assert raised.value.rate_limited is limited
    assert raised.value.status == status


# Rate limits: waited out whole, or not at all


@pytest.mark.parametrize(
    ("reset", "header", "value"),
    [
        (X_RESET, "x-rate-limit-reset", "{now_plus_900}"),
        (GITHUB_RESET, "x-ratelimit-reset", "{now_plus_900}"),
        (REDDIT_RESET, "x-ratelimit-reset", "900"),
        (None, "Retry-After", "900"),
    ],
)
def test_a_rate_limit_resetting_past_the_budget_ends_the_request_at_once(
    upstreams: ReplayServer, waits: list[float], reset: RateLimitReset | None, header: str, value: str
) -> None:
    # Given a 429 whose window resets in 15 minutes, and 5 minutes left of the source's budget
    value = value.format(now_plus_900=int(time.time()) + 900)
    upstreams.add("/api", Reply(429, b"", {header: value}), Reply(200, b"ok"))
    # When asked
    with time_limit(300.0, "x's 300 s budget"), pytest.raises(RateLimitedError) as raised:
        get(make_session(reset=reset, max_retry_after=60.0), "x", URL)
    # Then it was asked once: no retry inside the same window, no wait
    assert len(upstreams.requests) == 1
    assert waits == []
    # And the error is a rate limit, saying how long it lasts and what it would not fit
    assert raised.value.rate_limited
    assert raised.value.status == 429
    assert raised.value.wait == pytest.approx(900, abs=1.5)
    assert "longer than the 300 s left of x's 300 s budget" in str(raised.value)


def test_a_rate_limit_resetting_within_the_budget_is_waited_whole_then_asked_once_more(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given a 429 whose window resets in 90 s, longer than a session's usual longest wait, within the budget
    upstreams.add("/api", Reply(429, b"", {"x-rate-limit-reset": str(int(time.time()) + 90)}), Reply(200, b"ok"))
    # When asked
    with time_limit(300.0, "x's 300 s budget"):
        answer = get(make_session(reset=X_RESET, max_retry_after=60.0), "x", URL)
    # Then it waited until the reset (not 60 s, inside the same window) and asked once more
    assert answer.content == b"ok"
    assert waits == [pytest.approx(90, abs=1.5)]
    assert len(upstreams.requests) == 2


def test_outside_a_deadline_a_rate_limit_is_waited_only_as_long_as_the_session_allows(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given a 429 asking for an hour, and a session that waits at most five minutes
    upstreams.add("/api", Reply(429, b"", {"Retry-After": "3600"}), Reply(200, b"ok"))
    # When asked / Then it stops at once rather than retrying inside the window
    with pytest.raises(RateLimitedError, match="longer than the 300 s left of the longest wait this session allows"):
        get(make_session(), "test", URL)
    assert waits == []


# Deadlines


def test_nothing_is_asked_once_the_deadline_has_passed(upstreams: ReplayServer) -> None:
    # Given a time limit already spent
    with time_limit(0.0, "x's 0 s budget"), pytest.raises(DeadlineExceededError) as raised:
        # When a request is made inside it
        get(make_session(), "x", URL)
    # Then it fails without asking, naming the limit
    assert str(raised.value) == f"x: x's 0 s budget ran out before asking {URL}"
    assert upstreams.requests == []


def test_a_retry_after_beyond_the_deadline_fails_at_once_stating_the_wait(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given an upstream asking to come back in an hour, and 20 s left
    upstreams.add("/api", Reply(503, b"", {"Retry-After": "3600"}), Reply(200, b"ok"))
    with time_limit(20.0, "the fetch's 20 s deadline"), pytest.raises(DeadlineExceededError) as raised:
        get(make_session(max_retry_after=7200.0), "test", URL)
    # Then it did not wait, and says what it was asked and what was left
    assert waits == []
    assert len(upstreams.requests) == 1
    message = str(raised.value)
    assert message.startswith(f"test: {URL}: asked to wait 3600 s before retrying, longer than the ")
    assert message.endswith(" s left of the fetch's 20 s deadline")
    assert "than the 20 s left" in message or "than the 19 s left" in message


def test_a_backoff_within_the_deadline_is_waited(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given a 503 and then an answer, with plenty of time left
    upstreams.add("/api", Reply(503, b"", {"Retry-After": "2"}), Reply(200, b"ok"))
    with time_limit(60.0, "a deadline"):
        assert get(make_session(), "test", URL).content == b"ok"
    assert waits == [2.0]


def test_a_request_with_less_than_a_second_left_is_still_made_and_retried(upstreams: ReplayServer) -> None:
    # Given a 503 then an answer, and 0.8 s left
    upstreams.add("/api", Reply(503, b""), Reply(200, b"ok"))
    # When asked / Then the retry's answer comes back in time
    with time_limit(0.8, "a 0.8 s budget"):
        assert get(make_session(backoff=0), "test", URL).content == b"ok"


def test_a_read_timeout_is_retried_within_a_deadline(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given an upstream whose first answer comes after the client's timeout, and time to spare
    upstreams.add("/api", Reply(200, b"late", delay=0.5), Reply(200, b"on time"))
    # When asked within a deadline / Then the retry (after a timeout, with no answer to read) succeeds
    with time_limit(30.0, "a deadline"):
        assert get(make_session(backoff=0), "test", URL, timeout=0.1).content == b"on time"


def test_a_retry_after_with_almost_nothing_left_says_nothing_is_left(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    upstreams.add("/api", Reply(503, b"", {"Retry-After": "10"}), Reply(200, b"ok"))
    with time_limit(0.3, "a 0.3 s budget"), pytest.raises(DeadlineExceededError) as raised:
        get(make_session(), "test", URL)
    assert "asked to wait 10 s before retrying, longer than the 0 s left of a 0.3 s budget" in str(raised.value)


def test_a_backoff_as_long_as_what_is_left_fails(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given a retry whose floor is exactly the time left (a wait ending at the deadline is too late)
    upstreams.add("/api", Reply(503, b""), Reply(200, b"ok"))
    with time_limit(5.0, "a 5 s deadline"), pytest.raises(DeadlineExceededError, match="asked to wait 5 s"):
        get(make_session(min_wait=5.0), "test", URL)
    assert waits == []


def test_retries_stop_when_the_deadline_passes_between_attempts(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given an upstream that answers 503 only after the whole time limit has gone
    upstreams.add("/api", Reply(503, b"", delay=0.15))
    with time_limit(0.1, "y's 0.1 s budget"), pytest.raises(DeadlineExceededError) as raised:
        get(make_session(retries=3, backoff=0), "y", URL, timeout=5.0)
    # Then it is not retried: the limit ran out, after one attempt
    assert "y's 0.1 s budget ran out" in str(raised.value)
    assert len(upstreams.requests) == 1


def test_each_attempt_waits_only_what_is_left_of_the_deadline(upstreams: ReplayServer) -> None:
    # Given an upstream slower than the deadline but quicker than the request's own timeout
    upstreams.add("/api", Reply(200, b"late", delay=10.0))
    began = time.monotonic()
    with time_limit(0.3, "a 0.3 s deadline"), pytest.raises(DeadlineExceededError):
        get(make_session(retries=3, backoff=0), "test", URL, timeout=30.0)
    # Then it gave up near the deadline, not when the answer came (the bound leaves a loaded
    # machine seconds to spare, and is still half the 10 s a missed deadline would take)
    assert time.monotonic() - began < 5.0


def test_an_inner_time_limit_never_extends_an_outer_one() -> None:
    # Given a 10 s limit, and a 1000 s one inside it
    with time_limit(10.0, "outer") as outer, time_limit(1000.0, "inner") as inner:
        # Then the inner one is the outer
        assert inner is outer
        assert inner.remaining() <= 10.0
    # And a shorter limit inside a longer one is its own
    with time_limit(1000.0, "outer"), time_limit(1.0, "inner") as inner:
        assert inner.what == "inner"
        assert 0.0 < inner.remaining() <= 1.0


def test_a_time_limit_ends_with_its_block(upstreams: ReplayServer) -> None:
    # Given a spent limit that has ended
    with time_limit(0.0, "spent"):
        pass
    # When a request follows it / Then it is asked as if there had been no limit
    upstreams.add("/api", Reply(200, b"ok"))
    assert get(make_session(), "test", URL).content == b"ok"


# Bodies


def test_a_body_short_of_its_content_length_is_incomplete(upstreams: ReplayServer) -> None:
    # Given an answer cut after 4 of its 10 bytes
    upstreams.add("/api", Reply(200, b"0123456789", cut=0.4))
    # When asked with no retries / Then the body is incomplete, saying how much arrived
    with pytest.raises(IncompleteBodyError) as raised:
        get(make_session(retries=0), "test", URL)
    assert str(raised.value) == f"test: the answer from {URL} broke off after 4 bytes: ProtocolError"


def test_a_body_cut_with_no_length_is_the_connection_close(upstreams: ReplayServer) -> None:
    # Given an answer with no Content-Length, ended by the connection's close
    upstreams.add("/api", Reply(200, b"whole answer", length=False))
    # Then the whole body is read
    assert get(make_session(), "test", URL).content == b"whole answer"


def test_a_long_body_is_read_whole(upstreams: ReplayServer) -> None:
    body = bytes(range(256)) * 1024
    upstreams.add("/api", Reply(200, body))
    assert get(make_session(), "test", URL).content == body


def test_a_trickling_body_ends_at_the_deadline(upstreams: ReplayServer) -> None:
    # Given an answer sent a byte every 0.05 s, 200 bytes long
    upstreams.add("/api", Reply(200, b"x" * 200, trickle=0.05))
    began = time.monotonic()
    # When asked within 0.3 s
    with time_limit(0.3, "a 0.3 s budget"), pytest.raises(DeadlineExceededError) as raised:
        get(make_session(retries=0), "test", URL, timeout=5.0)
    # Then it stops by the deadline, saying so
    assert "a 0.3 s budget ran out while the answer was arriving" in str(raised.value)
    # (the whole body would take 10 s)
    assert time.monotonic() - began < 5.0


def test_a_stalled_body_is_incomplete_within_its_timeout(upstreams: ReplayServer) -> None:
    # Given an answer whose bytes come slower than the request's timeout
    upstreams.add("/api", Reply(200, b"x" * 20, trickle=0.5))
    with time_limit(0.9, "a 0.9 s deadline"), pytest.raises(IncompleteBodyError, match="broke off after 1 bytes"):
        get(make_session(retries=0), "test", URL, timeout=0.2)


def test_a_body_on_a_kept_connection_stalling_past_the_deadline_ends_at_it(upstreams: ReplayServer) -> None:
    # Given an HTTP/1.1 answer (the connection stays open) whose second byte comes after 2 s and
    # third after 4 s, and a 2.5 s deadline, with a 30 s timeout per request
    upstreams.add("/api", Reply(200, b"abc", trickle=2.0, keep_alive=True))
    began = time.monotonic()
    with time_limit(2.5, "a 2.5 s budget"), pytest.raises(DeadlineExceededError) as raised:
        get(make_session(retries=0), "test", URL, timeout=30.0)
    # Then each read waited only what was left: it ended by the deadline, not when the third byte
    # came (the bound lies between the two, a second from each)
    assert time.monotonic() - began < 3.5
    assert str(raised.value) == f"test: {URL}: a 2.5 s budget ran out while the answer was arriving"


def test_a_body_on_a_kept_connection_is_read_whole(upstreams: ReplayServer) -> None:
    upstreams.add("/api", Reply(200, b"x" * 100_000, keep_alive=True))
    with time_limit(30.0, "a deadline"):
        assert get(make_session(), "test", URL).content == b"x" * 100_000


@pytest.mark.parametrize("limited", [False, True], ids=["no-deadline", "deadline"])
def test_a_compressed_answer_is_decoded(upstreams: ReplayServer, limited: bool) -> None:
    upstreams.add("/api", Reply(200, gzip.compress(b"plain text"), {"Content-Encoding": "gzip"}))
    if limited:
        with time_limit(30.0, "a deadline"):
            assert get(make_session(), "test", URL).content == b"plain text"
    else:
        assert get(make_session(), "test", URL).content == b"plain text"


# Endpoints


@pytest.mark.parametrize(
    ("base", "path", "joined"),
    [
        ("https://h/api", "/api/query", "https://h/api/query"),
        ("https://h/api/query", "/api/query", "https://h/api/query"),
        ("http://127.0.0.1:8000", "/api/query", "http://127.0.0.1:8000/api/query"),
        ("http://127.0.0.1:8000/", "/api/query", "http://127.0.0.1:8000/api/query"),
        ("https://h/v2", "/2/tweets/search/recent", "https://h/v2/2/tweets/search/recent"),
        ("https://h/a/b", "/b/c/d", "https://h/a/b/c/d"),
        ("https://h/x?k=1", "/y", "https://h/x/y?k=1"),
        ("https://h", "", "https://h"),
    ],
)
def test_endpoint_joins_a_base_and_a_path_however_much_of_it_the_base_holds(base: str, path: str, joined: str) -> None:
    assert endpoint(base, path) == joined
