"""What the matrix runs: the upstreams, the faults, their cells (``Case``), and the
timings, credentials and hostile bodies the cases use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hotpapers.catalogue import CATALOGUE

ROOT = next(folder for folder in Path(__file__).resolve().parents if (folder / "pyproject.toml").is_file())
DAY = "2026-06-02"
RECORDING = ROOT / "demo" / "recordings" / DAY
DOC = ROOT / "docs" / "reliability_matrix.md"
NOW_EARLIER = "2026-06-03T07:46:45Z"
"""When the earlier, good digest was published."""
NOW = "2026-06-03T09:46:45Z"
"""When every case runs: later, so a case never shares the earlier fetch's second."""

# Timing, small so that the whole matrix runs in minutes, yet loose enough for a loaded 2-core
# machine (several cases run at once): a fault-free request never comes near REQUEST_TIMEOUT. A
# case must end within DEADLINE seconds; one still running at HARD_LIMIT is killed as hung.
REQUEST_TIMEOUT = 5.0
FETCH_DEADLINE = 15.0
SOURCE_BUDGET = 12.0
DEADLINE = 30.0
HARD_LIMIT = 35.0
TRICKLE_INTERVAL = 0.5
SHORT_RETRY_AFTER = 1
LONG_RETRY_AFTER = 3600
CUT = 0.55
"""A truncated body keeps this share of its bytes."""
EXTRA_PAPERS = 9
THINNER = 10
"""A thinner arXiv answer holds one paper in this many, consistently paged (as arXiv's API has
answered 60 of a day's 715)."""
"""Papers no post mentions, kept from the day's 715 beside the 51 that are discussed."""
"""Entries per arXiv page, so that the day takes two pages."""

# Distinctive fake credentials: finding one anywhere a case wrote is a leak.
CREDENTIALS = {
    "HOTPAPERS_X_BEARER_TOKEN": "hpmatrix-x-bearer-3f9c2a7e51d4",
    "HOTPAPERS_BLUESKY_APP_PASSWORD": "hpmatrix-bsky-password-8d41b6c2",
    "HOTPAPERS_REDDIT_CLIENT_ID": "hpmatrix-reddit-id-60f1",
    "HOTPAPERS_REDDIT_CLIENT_SECRET": "hpmatrix-reddit-secret-c07e93a5",
    "HOTPAPERS_GITHUB_TOKEN": "hpmatrix-github-token-5a2fd0e8",
}
BOMB_UNPACKED = 1536 * 2**20
"""What the gzip bomb unpacks to: 1.5 GiB (about 1.6 MB on the wire), as an attacker's answer did."""
OVERSIZE = 300 * 2**20
"""How much whitespace the oversized answer adds to the right body: 300 MiB, valid JSON and XML still."""
TRACEBACK = "Traceback (most recent call last)"
RATE_EXCEEDED_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Rate exceeded</title></head>\n"
    b"<body><h1>Rate exceeded.</h1><p>Please slow down and try again later.</p></body></html>\n"
)


@dataclass(frozen=True)
class Upstream:
    """One upstream service, as the requests the demo day sends it."""

    key: str
    label: str
    source: str | None
    """The source a digest names when this upstream fails; ``None`` for arXiv, which no digest can do without."""
    prefixes: tuple[str, ...]
    """Request paths this upstream serves."""
    logins: tuple[str, ...] = ()
    """Paths that are logins: bad-body faults spare them, so that they reach the listings."""

    def serves(self, path: str, fault: Fault) -> bool:
        if fault.kind in ("body", "text") and path in self.logins:
            return False
        return path.startswith(self.prefixes)


@dataclass(frozen=True)
class Fault:
    key: str
    label: str
    kind: str
    """``http`` and ``connection`` faults hit every request of the upstream; ``body`` faults its
    content requests; ``text`` faults too, answering the right body with hostile text in it."""
    only: str | tuple[str, ...] | None = None
    """The upstream, or upstreams, this fault exists for, if not every one."""
    shown: str = ""
    """What a ``text`` fault's insertion shows as once made safe, before the text it was put in."""
    variants: tuple[tuple[bool, bool], ...] | None = None
    """The (persistent, earlier) cells it has, if not all four."""

    def exists_for(self, upstream: Upstream) -> bool:
        return self.only is None or upstream.key in ((self.only,) if isinstance(self.only, str) else self.only)


def _source(name: str, prefixes: tuple[str, ...], logins: tuple[str, ...] = ()) -> Upstream:
    """A source's own upstream, labelled with the name readers know it by."""
    return Upstream(name, CATALOGUE[name].display_name, name, prefixes, logins)


UPSTREAMS = (
    Upstream("arxiv", "arXiv", None, ("/api/query",)),
    _source("x", ("/2/",)),
    Upstream("x-oembed", f"{CATALOGUE['x'].display_name} oEmbed", "x", ("/oembed",)),
    _source("hackernews", ("/hn/",)),
    _source("huggingface", ("/api/daily_papers",)),
    _source("bluesky", ("/bsky/",), ("/bsky/xrpc/com.atproto.server.createSession",)),
    _source("reddit", ("/reddit/",), ("/reddit/api/v1/access_token",)),
    _source("github", ("/gh/",)),
)
EVERY_SOURCE = Upstream(
    "sources",
    "every attention source",
    None,
    tuple(prefix for upstream in UPSTREAMS if upstream.source for prefix in upstream.prefixes),
    tuple(login for upstream in UPSTREAMS for login in upstream.logins),
)
"""Not a matrix row: every attention source at once, for the fetch's memory bound."""
FAULTS = (
    Fault("429-short", f"429, Retry-After {SHORT_RETRY_AFTER} s", "http"),
    Fault("429-long", f"429, Retry-After {LONG_RETRY_AFTER} s", "http"),
    Fault("500", "500", "http"),
    Fault("502", "502", "http"),
    Fault("503", "503", "http"),
    Fault("401-echo", "401 echoing the request", "http"),
    Fault("403-echo", "403 echoing the request", "http"),
    Fault("timeout", "no answer (timeout)", "connection"),
    Fault("reset", "connection reset", "connection"),
    Fault("trickle", f"1 byte every {TRICKLE_INTERVAL} s", "connection"),
    Fault("truncated-length", f"cut at {CUT:.0%}, Content-Length of the whole", "body"),
    Fault("truncated-close", f"cut at {CUT:.0%}, no Content-Length", "body"),
    Fault("malformed", "malformed (closing marks dropped from the middle on)", "body"),
    Fault("html-200", "an HTML page, status 200", "body"),
    Fault("wrong-type", "the right body as text/html", "body"),
    Fault("empty", "a valid empty answer", "body"),
    Fault("empty-page", "the empty-page glitch", "body", only="arxiv"),
    Fault("gzip-bomb", "a gzip bomb: 1.6 MB unpacking to 1.5 GiB", "body"),
    Fault("oversized", "the right body and 300 MiB of whitespace", "body"),
    Fault("redirect-token", "a redirect to a URL carrying the caller's token", "body"),
    Fault("reflect-secret", "the caller's credential reflected in every text, status 200", "text", shown="[REDACTED] "),
    Fault("lone-surrogate", "a lone surrogate escape opening every text", "text", shown="\ufffd "),
    Fault("thinner", f"a consistent but smaller set (1 paper in {THINNER})", "body", only="arxiv"),
    Fault(
        "no-figures",
        "every post without its figures",
        "body",
        only=("x", "hackernews", "huggingface", "bluesky", "reddit"),
    ),
    # arXiv skips Sunday's announcement, which no setting names: the evening's papers come with
    # Monday's. The skipped day is run first, on Monday afternoon, and finds nothing.
    Fault(
        "unlisted-holiday",
        "the evening before skipped, named by no setting",
        "calendar",
        only="arxiv",
        variants=((True, False),),
    ),
)
SKIPPED_DAY = "2026-06-01"
SKIPPED_RUN_AT = "2026-06-01T20:00:00Z"
"""The skipped evening's digest, run after that evening and before the next announcement."""
HELD_BACK = "2026-05-29T12:00:00Z"
"""When half the day's papers were submitted: in the skipped evening's window (Thursday to Friday)."""
PRIOR_STATES = {False: "no earlier digest", True: "earlier digest"}
SPELLS = {False: "transient", True: "persistent"}


@dataclass(frozen=True)
class Case:
    upstream: Upstream
    fault: Fault
    persistent: bool
    earlier: bool
    """Whether a good digest of the day was published before this run."""

    @property
    def id(self) -> str:
        return "-".join(
            (self.upstream.key, self.fault.key, SPELLS[self.persistent], "earlier" if self.earlier else "fresh")
        )

    @property
    def believed(self) -> bool:
        """A source answering, validly, that it has nothing, with no earlier digest to doubt it by:
        nobody can tell that from a quiet day, so publishing the day as answered is right."""
        return self.fault.key == "empty" and not self.earlier and self.upstream.source is not None

    @property
    def believed_thinner(self) -> bool:
        """arXiv answering a consistent but smaller set, with no earlier snapshot to doubt it by:
        nobody can tell it from a smaller day, so publishing the day as answered is right."""
        return self.fault.key == "thinner" and not self.earlier

    @property
    def legitimately_empty(self) -> bool:
        """arXiv saying, every time it is asked, that the window holds no paper: a real empty day."""
        return self.upstream.key == "arxiv" and self.fault.key == "empty" and self.persistent


def all_cases() -> list[Case]:
    return [
        Case(upstream, fault, persistent, earlier)
        for upstream in UPSTREAMS
        for fault in FAULTS
        if fault.exists_for(upstream)
        for persistent in (False, True)
        for earlier in (False, True)
        if fault.variants is None or (persistent, earlier) in fault.variants
    ]
