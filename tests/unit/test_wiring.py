"""The template's EventBridge rules, read by the local runner, route exactly as intended."""

from datetime import UTC, datetime

import pytest
from conftest import ROOT
from hotpapers.events import object_created
from hotpapers.offline import wiring

BUCKETS = {"DataBucket": "data-bucket", "SiteBucket": "site-bucket"}


@pytest.fixture(scope="module")
def rules() -> list[wiring.Rule]:
    return wiring.rules(wiring.load_template(ROOT / "template.yaml"), BUCKETS)


def targets(rules: list[wiring.Rule], bucket: str, key: str) -> list[str]:
    event = object_created(bucket, key, b"{}", when=datetime(2020, 7, 10, tzinfo=UTC))
    return [rule.function for rule in rules if rule.matches(event)]


@pytest.mark.parametrize(
    ("bucket", "key", "expected"),
    [
        ("data-bucket", "raw/2020-07-09/manifest.json", ["ScoreFunction"]),
        ("data-bucket", "raw/2020-07-09/20200710T074645Z/arxiv/page-000000.xml", []),
        ("data-bucket", "raw/2020-07-09/20200710T074645Z/x/manifest.json.bak", []),
        ("data-bucket", "scored/2020-07-09.json", ["RenderFunction"]),
        ("site-bucket", "scored/2020-07-09.json", []),
        ("site-bucket", "digests/2020-07-09.md", []),
        ("other-bucket", "raw/2020-07-09/manifest.json", []),
    ],
)
def test_each_object_starts_only_its_own_step(
    rules: list[wiring.Rule], bucket: str, key: str, expected: list[str]
) -> None:
    assert targets(rules, bucket, key) == expected


def test_wildcards_match_like_eventbridge() -> None:
    rule = wiring.Rule("F", "E", {"detail": {"object": {"key": [{"wildcard": "raw/*/manifest.json"}]}}})
    assert rule.matches({"detail": {"object": {"key": "raw/a/b/manifest.json"}}})  # "*" spans "/"
    assert not rule.matches({"detail": {"object": {"key": "raw/a/manifest.jsonx"}}})
    assert not rule.matches({"detail": {"object": {"key": "raw/[a]/manifest.json?"}}})
    assert not rule.matches({"detail": {}})
