"""The catalogue of sources: the one place that says what each source is, and what reads it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hotpapers.catalogue import CATALOGUE, KNOWN_SOURCE_NAMES, SECRET_CREDENTIALS, figures, source_order
from hotpapers.config import default_sources
from hotpapers.sources import KNOWN_SOURCES, PaperSignal
from hotpapers.website import words

ROOT = Path(__file__).resolve().parents[2]
SOURCES_DIR = ROOT / "layers" / "common" / "hotpapers" / "sources"
DOCS = ROOT / "docs"
CREDENTIAL_READ = re.compile(r"""credential\([^,()]+,\s*["'](\w+)["']""")


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_each_client_takes_its_identity_from_its_catalogue_entry(name: str) -> None:
    # Given a catalogue entry / When its client is looked up
    entry, client = CATALOGUE[name], KNOWN_SOURCES[name]

    # Then the client is the one its entry names, and says what the entry says
    assert client.__name__ == entry.client
    assert client.__module__ == f"hotpapers.sources.{name}"
    assert client.entry is entry
    assert (client.name, client.engagement_metrics) == (name, entry.engagement)
    assert client.engagement_is_the_authors is entry.engagement_is_the_authors
    assert issubclass(client, PaperSignal) is entry.paper_signal
    # And a paper signal adds nothing to a score, where a post source always does
    assert (entry.engagement == ()) is entry.paper_signal


def test_the_clients_come_in_the_catalogues_order() -> None:
    assert list(KNOWN_SOURCES) == list(CATALOGUE) == list(KNOWN_SOURCE_NAMES)
    assert source_order(["github", "x", "reddit", "unknown"]) == ["x", "reddit", "github"]


def test_readers_see_one_name_per_source_and_x_is_x() -> None:
    # Given every source / Then the site names it by its display name, X as "X"
    assert {name: words.source_name(name) for name in CATALOGUE} == {
        "x": "X",
        "hackernews": "Hacker News",
        "bluesky": "Bluesky",
        "reddit": "Reddit",
        "huggingface": "Hugging Face",
        "github": "GitHub",
    }
    # And only the seed format's front matter keeps its older tag for X
    assert {name: entry.tag for name, entry in CATALOGUE.items() if entry.tag != entry.display_name} == {"x": "Twitter"}


def test_no_metric_has_two_reader_words() -> None:
    # Given each source's words for its metrics
    said: dict[str, set[str]] = {}
    for entry in CATALOGUE.values():
        for metric, word in entry.metric_words.items():
            said.setdefault(metric, set()).add(word)
        # Then each worded metric is one of the figures the source's posts carry
        assert set(entry.metric_words) <= {*entry.figures, *entry.shown}, entry.name
    # And a metric's word is the same whichever source a figure is of (metric_word takes no source)
    assert {metric: len(words_) for metric, words_ in said.items() if len(words_) > 1} == {}
    assert [words.metric_word(metric) for metric in ("retweets", "score", "stars", "stars_total", "likes")] == [
        "reposts",
        "points",
        "new stars",
        "stars",
        "likes",
    ]


def test_a_sources_figures_are_its_counts_line_then_the_rest_of_its_engagement() -> None:
    assert figures("bluesky") == ["likes", "reposts", "quotes", "replies"]
    assert figures("github") == ["stars", "stars_total"]


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_credential_a_client_reads_is_in_its_catalogue_entry(name: str) -> None:
    # Given the credentials the client's module reads
    read = set(CREDENTIAL_READ.findall((SOURCES_DIR / f"{name}.py").read_text(encoding="utf-8")))
    # Then they are exactly those its entry declares
    assert read == {credential.name for credential in CATALOGUE[name].credentials}


def test_the_secrets_are_the_credentials_that_are_not_public() -> None:
    assert set(SECRET_CREDENTIALS) == {
        "x_bearer_token",
        "bluesky_app_password",
        "reddit_client_id",
        "reddit_client_secret",
        "github_token",
    }


def test_the_default_sources_follow_the_catalogues_credentials() -> None:
    # Given no credentials, then every credential the catalogue names
    everything = {credential.variable: "set" for entry in CATALOGUE.values() for credential in entry.credentials}
    # Then the sources without credentials are the default, and with all of them every source is
    assert default_sources({}) == ("hackernews", "huggingface")
    assert default_sources(everything) == KNOWN_SOURCE_NAMES


def test_sources_md_agrees_with_the_catalogue() -> None:
    page = (DOCS / "sources.md").read_text(encoding="utf-8")
    # Given each source / Then its section is headed by its reader name
    headings = set(re.findall(r"^## (.+)$", page, re.MULTILINE))
    assert {entry.display_name for entry in CATALOGUE.values()} <= headings
    # And the default set's list names each source's credentials, or it among those needing none
    free = [f"`{name}`" for name, entry in CATALOGUE.items() if not entry.credentials]
    assert f"every source that needs no credentials: {' and '.join(free)}" in page
    for name, entry in CATALOGUE.items():
        if entry.credentials:
            variables = [f"`{credential.variable}`" for credential in entry.credentials]
            listed = ", ".join(variables[:-1]) + " and " + variables[-1] if len(variables) > 1 else variables[0]
            assert f"  - `{name}`: {listed}\n" in page
    # And the secrets and the AWS names are the catalogue's
    secrets = re.search(r"The secrets are (.+?), and the Bluesky", page, re.DOTALL)
    assert secrets is not None
    assert re.findall(r"`(\w+)`", secrets.group(1)) == list(SECRET_CREDENTIALS)
    aws_names = re.search(r"in lower case: (.+?)\.\n", page, re.DOTALL)
    assert aws_names is not None
    assert re.findall(r"`(\w+)`", aws_names.group(1)) == [
        credential.name for entry in CATALOGUE.values() for credential in entry.credentials
    ]


def test_configuration_md_lists_each_sources_credentials_on_its_row() -> None:
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for name, entry in CATALOGUE.items():
        if entry.credentials:
            variables = ", ".join(f"`{credential.variable}`" for credential in entry.credentials)
            assert f"| {variables} | {name} (" in page


def test_the_catalogue_loads_no_network_code() -> None:
    # Given a fresh interpreter / When the catalogue is imported
    code = "import sys, hotpapers.catalogue; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # Then neither an HTTP library nor any client came with it
    assert "hotpapers.catalogue" in loaded
    assert [name for name in loaded if name.split(".")[0] in ("requests", "urllib3", "pydantic")] == []
    assert [name for name in loaded if name.startswith(("hotpapers.sources", "hotpapers.upstream"))] == []


def test_sources_md_states_the_rate_limit_reset_each_client_reads() -> None:
    # Given the table of reset headers in docs/sources.md
    page = (DOCS / "sources.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) \| `([\w-]+)` \| (Unix time|seconds) ", page, re.MULTILINE)
    documented = {name: (header, meaning == "Unix time") for name, header, meaning in rows}
    # Then it is what the clients declare
    declared = {
        name: (client.rate_limit_reset.header, client.rate_limit_reset.epoch)
        for name, client in KNOWN_SOURCES.items()
        if client.rate_limit_reset is not None
    }
    assert documented == declared
    assert set(declared) == {"x", "reddit", "github"}


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_base_url_a_client_reads_is_in_its_catalogue_entry(name: str) -> None:
    # Given the base URLs the client's module reads from the settings
    read = set(re.findall(r"""urls\[["'](\w+)["']\]""", (SOURCES_DIR / f"{name}.py").read_text(encoding="utf-8")))
    # Then they are exactly those its entry declares
    assert read == set(CATALOGUE[name].urls)


def test_configuration_md_gives_each_sources_base_urls_with_their_defaults() -> None:
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for entry in CATALOGUE.values():
        for key, url in entry.urls.items():
            assert re.search(rf"^\| `HOTPAPERS_{key.upper()}_URL` \| `{re.escape(url)}`", page, re.MULTILINE), key
