"""On AWS the sources' credentials come from one Secrets Manager secret (``HOTPAPERS_SECRET_ARN``),
not the environment: each source sends the secret's values as its API documents. The secret is
read through Powertools Parameters, replaced here by a dictionary."""

from __future__ import annotations

import base64
import json

import pytest
from aws_lambda_powertools.utilities import parameters
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.sources import Source
from hotpapers.sources.bluesky import Bluesky
from hotpapers.sources.reddit import Reddit, user_agent
from hotpapers.sources.x import X
from support.fake_http import connected, fetch_request
from support.sources_day import fixture_json

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hotpapers"
SECRET = {
    "x_bearer_token": "x-from-secret",
    "bluesky_handle": "secret.example.org",
    "bluesky_app_password": "bsky-from-secret",
    "reddit_client_id": "id-from-secret",
    "reddit_client_secret": "secret-from-secret",
    "reddit_username": "secret-bot",
}


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOTPAPERS_SSM_PREFIX", *(f"HOTPAPERS_{key.upper()}" for key in SECRET)):
        monkeypatch.delenv(name, raising=False)

    def get_secret(name: str, **kwargs: object) -> dict[str, str]:
        assert name == ARN
        return SECRET

    monkeypatch.setattr(parameters, "get_secret", get_secret)


def fetch(upstreams: ReplayServer, source: type[Source]) -> None:
    request = fetch_request(env={"HOTPAPERS_SECRET_ARN": ARN})
    connected(source, upstreams, request).fetch(request)


def test_x_sends_the_secrets_bearer_token(upstreams: ReplayServer) -> None:
    upstreams.add("https://api.x.com/2/tweets/search/recent", Reply.json({"meta": {"result_count": 0}}))
    fetch(upstreams, X)
    assert upstreams.requests[0].headers["Authorization"] == "Bearer x-from-secret"


def test_bluesky_logs_in_with_the_secrets_handle_and_app_password(upstreams: ReplayServer) -> None:
    upstreams.add(
        "https://bsky.social/xrpc/com.atproto.server.createSession",
        Reply.json(fixture_json("bluesky_createSession_DOCUMENTED_SHAPE.json")),
    )
    upstreams.add("https://bsky.social/xrpc/app.bsky.feed.searchPosts", Reply.json({"posts": []}))
    fetch(upstreams, Bluesky)
    assert json.loads(upstreams.requests[0].body) == {
        "identifier": "secret.example.org",
        "password": "bsky-from-secret",
    }


def test_reddit_asks_its_grant_with_the_secrets_app_and_names_its_account(upstreams: ReplayServer) -> None:
    upstreams.add(
        "https://www.reddit.com/api/v1/access_token",
        Reply.json(fixture_json("reddit_access_token_DOCUMENTED_SHAPE.json")),
    )
    upstreams.add("https://oauth.reddit.com/search", Reply.json({"data": {"after": None, "children": []}}))
    fetch(upstreams, Reddit)
    grant = upstreams.requests[0]
    assert grant.headers["Authorization"] == "Basic " + base64.b64encode(b"id-from-secret:secret-from-secret").decode()
    assert grant.headers["User-Agent"] == user_agent("secret-bot")
