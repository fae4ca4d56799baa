"""What each attention source is, apart from the code that calls its API: plain data.

One entry per source, in the canonical order of a digest's counts line: its name, what readers
call it, its figures and their words, its API's base URLs, the credentials it needs, how far back
it can search, and whether it is a paper signal. Config, render, the docs' tests, the demo and the
benchmark read the entries; each API client (``hotpapers.sources.<name>``) takes its identity
from its entry.

This module imports no network code and no client, so that the render step, which needs only
names and words, loads neither. Adding a source means one entry here and one client module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class Credential:
    """A credential a source reads: ``HOTPAPERS_<NAME>`` locally, ``<name>`` in SSM or Secrets Manager."""

    name: str
    secret: bool = True
    """Masked wherever it could be written (``hotpapers.redaction``); a handle or a username is public."""

    @property
    def variable(self) -> str:
        return f"HOTPAPERS_{self.name.upper()}"


@dataclass(frozen=True)
class SourceEntry:
    """One attention source, as everything but its API client knows it."""

    name: str
    """Short id used in ``HOTPAPERS_SOURCES``, ``HOTPAPERS_<NAME>_*`` settings, raw keys and the manifest."""
    display_name: str
    """What readers call it, on every page, feed and message."""
    client: str
    """The class of its API client in ``hotpapers.sources.<name>``."""
    counts: tuple[tuple[str, str], ...]
    """(metric, label) pairs of the Markdown counts line, in order; the labels are the seed format's."""
    engagement: tuple[str, ...] = ()
    """Metrics whose sum is a post's engagement (none for a paper signal)."""
    shown: tuple[str, ...] = ()
    """Figures its posts carry that do not count but are shown (a Hugging Face page's code stars)."""
    metric_words: Mapping[str, str] = field(default_factory=dict)
    """Reader words for the metrics whose own names would mislead (Reddit's ``score`` is points)."""
    urls: Mapping[str, str] = field(default_factory=dict)
    """Its API's base URLs by key; ``HOTPAPERS_<KEY>_URL`` overrides each (a stand-in, a test)."""
    credentials: tuple[Credential, ...] = ()
    """What it needs to be used by default; a post source cannot count without all of them."""
    reach: timedelta | None = None
    """How far back its (default) search reaches; ``None``: no horizon."""
    paper_signal: bool = False
    """It describes papers (GitHub's stars) instead of posting about them: shown, never scored."""
    engagement_is_the_authors: bool = True
    """Whether a post's engagement follows from its author posting it: the per-account cap applies
    only then (a Hugging Face page's upvotes are not its submitter's doing)."""
    front_matter_tag: str = ""
    """How the Markdown digest's front matter tags it, where the seed format differs from its name."""

    @property
    def tag(self) -> str:
        """Its tag in the Markdown digest's front matter."""
        return self.front_matter_tag or self.display_name

    @property
    def figures(self) -> tuple[str, ...]:
        """Every figure of the source that counts, in order: its counts line's, then the rest of its
        engagement (none today: every figure that counts is on the Markdown's counts line)."""
        return tuple(dict.fromkeys([*(metric for metric, _ in self.counts), *self.engagement]))


CATALOGUE: Mapping[str, SourceEntry] = {
    entry.name: entry
    for entry in (
        SourceEntry(
            name="x",
            display_name="X",
            client="X",
            counts=(("retweets", "retweets"), ("likes", "favorites")),
            engagement=("retweets", "likes"),
            metric_words={"retweets": "reposts"},
            urls={"x_api": "https://api.x.com", "x_oembed": "https://publish.twitter.com/oembed"},
            credentials=(Credential("x_bearer_token"),),
            # Recent search; full-archive search (HOTPAPERS_X_SEARCH=all) has no horizon.
            reach=timedelta(days=7),
            # The seed digests, from before X's rename.
            front_matter_tag="Twitter",
        ),
        SourceEntry(
            name="hackernews",
            display_name="Hacker News",
            client="HackerNews",
            counts=(("points", "hn points"), ("comments", "hn comments")),
            engagement=("points", "comments"),
            urls={"hn_api": "https://hn.algolia.com/api/v1"},
        ),
        SourceEntry(
            name="bluesky",
            display_name="Bluesky",
            client="Bluesky",
            counts=(
                ("likes", "bluesky likes"),
                ("reposts", "bluesky reposts"),
                ("quotes", "bluesky quotes"),
                ("replies", "bluesky replies"),
            ),
            engagement=("likes", "reposts", "quotes", "replies"),
            urls={"bluesky_api": "https://bsky.social"},
            credentials=(Credential("bluesky_handle", secret=False), Credential("bluesky_app_password")),
        ),
        SourceEntry(
            name="reddit",
            display_name="Reddit",
            client="Reddit",
            counts=(("score", "reddit score"), ("comments", "reddit comments")),
            engagement=("score", "comments"),
            metric_words={"score": "points"},
            urls={
                "reddit_auth": "https://www.reddit.com/api/v1/access_token",
                "reddit_api": "https://oauth.reddit.com",
            },
            credentials=(
                Credential("reddit_client_id"),
                Credential("reddit_client_secret"),
                Credential("reddit_username", secret=False),
            ),
        ),
        SourceEntry(
            name="huggingface",
            display_name="Hugging Face",
            client="HuggingFace",
            counts=(("upvotes", "hf upvotes"),),
            engagement=("upvotes",),
            # Hugging Face's paper page gives its code repository's stars with the paper.
            shown=("github_stars",),
            metric_words={"github_stars": "GitHub stars"},
            urls={"hf_api": "https://huggingface.co/api"},
            engagement_is_the_authors=False,
        ),
        SourceEntry(
            name="github",
            display_name="GitHub",
            client="GitHub",
            # The labels of the site's words: stars gained in the window are new stars, a total is stars.
            counts=(("stars", "github new stars"), ("stars_total", "github stars")),
            metric_words={"stars": "new stars", "stars_total": "stars"},
            urls={"github_api": "https://api.github.com"},
            # GitHub works without a token, but it is a paper signal and anonymous callers get 60
            # requests an hour per IP address, shared on Lambda and CI: a default only with a token.
            credentials=(Credential("github_token"),),
            paper_signal=True,
        ),
    )
}
KNOWN_SOURCE_NAMES = tuple(CATALOGUE)
# Every credential that is a secret, masked wherever it could be written.
SECRET_CREDENTIALS = tuple(
    credential.name for entry in CATALOGUE.values() for credential in entry.credentials if credential.secret
)


def source_order(names: Iterable[str]) -> list[str]:
    """Sources in the canonical order of the counts line (the catalogue's order)."""
    wanted = set(names)
    return [name for name in CATALOGUE if name in wanted]


def figures(name: str) -> list[str]:
    """Every figure of source ``name`` that counts, in its order (``SourceEntry.figures``)."""
    return list(CATALOGUE[name].figures)


def is_paper_signal(name: str) -> bool:
    """Whether ``name`` is a known source that describes papers rather than posting about them."""
    return name in CATALOGUE and CATALOGUE[name].paper_signal
