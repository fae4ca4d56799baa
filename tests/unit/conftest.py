"""Unit tests are pure: any attempt to open a network connection fails the test."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import urllib3.util.retry
from hotpapers.offline.replay import ReplayServer
from support.fake_http import connection_to
from support.sources_day import CREDENTIALS
from urllib3.connectionpool import HTTPConnectionPool


class NetworkBlockedError(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkBlockedError("unit tests must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def tokyo_machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone is Tokyo (UTC+9), so reading a time in local time shows."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def upstreams(monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    """Scripted upstreams reached in memory (tests/support/fake_http.py): every ``http://`` URL through a
    socket pair, and the sessions ``fake_http.connected`` mounts without one."""
    server = ReplayServer()  # never started: socket pairs need no listening thread
    monkeypatch.setattr(HTTPConnectionPool, "ConnectionCls", connection_to(server))
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait urllib3's retries ask for, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(urllib3.util.retry, "time", SimpleNamespace(sleep=asked.append, time=time.time))
    return asked


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test credentials of every source that needs one, from the environment only (no AWS secret or
    parameters); GitHub's optional token is left unset."""
    for name in ("HOTPAPERS_SSM_PREFIX", "HOTPAPERS_SECRET_ARN", "HOTPAPERS_GITHUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """AWS in memory (moto), with fake credentials in us-east-1, for the test."""
    from moto import mock_aws

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        yield


@pytest.fixture
def alert_queue(aws: None, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[dict[str, Any]]]:
    """The operator's alert queue in memory, named by ``HOTPAPERS_ALERT_QUEUE``; a reader of the
    messages in it (each read once)."""
    import boto3
    from hotpapers.alerts import QUEUE

    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="alerts")["QueueUrl"]
    monkeypatch.setenv(QUEUE, url)

    def messages() -> list[dict[str, Any]]:
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(message["Body"]) for message in received]

    return messages
