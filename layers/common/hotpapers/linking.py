"""Finding papers (and their code) in the URLs and text of posts, and linking posts to papers.

``find_arxiv_ids`` recognises every form a paper is linked by: arxiv.org abs/pdf/html pages
(any version, ``.pdf``, ``export.`` and ``www.`` hosts, http or https, or no scheme at all),
old-style ids such as ``hep-th/9901001``, alphaxiv, ar5iv, Hugging Face paper pages, the arXiv
DOI ``10.48550/arXiv.<id>``, and ``arXiv:<id>`` written in text. Ids are checked for a real
month, so that version-like numbers elsewhere are not taken for papers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from hotpapers.models import Post

# New-style ids: YYMM.NNNN (2007-2014) or YYMM.NNNNN (since 2015).
_NEW_ID = r"\d\d(?:0[1-9]|1[0-2])\.\d{4,5}(?!\d)"
# Old-style ids (until March 2007): archive, optional subject class, then YYMMNNN.
_ARCHIVES = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|comp-gas|"
    "cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|math|mtrl-th|nlin|nucl-ex|"
    "nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|q-fin|quant-ph|solv-int|stat|supr-con"
)
_OLD_ID = rf"(?:{_ARCHIVES})(?:\.[a-z]+(?:-[a-z]+)?)?/\d\d(?:0[1-9]|1[0-2])\d{{3}}(?!\d)"
# A version (v2) may follow; the id ends before it.
_ID = rf"(?P<id>{_NEW_ID}|{_OLD_ID})"
# A host name starts after something that cannot be part of it ("notarxiv.org" is not arXiv).
_HOST_START = r"(?<![\w.-])(?:[\w-]+\.)*"

# The hosts and pages a link to a paper may name, as data: the patterns below are built from them,
# and a source whose search selects posts by URL (X) asks for each (``LINK_FORMS``).
ARXIV_HOSTS = ("arxiv.org", "ar5iv.org", "xxx.lanl.gov")
ARXIV_PAGES = ("abs", "pdf", "html", "format", "ps")
ALPHAXIV_PAGES = ("abs", "overview", "pdf")
HF_PAPER_PAGES = ("huggingface.co/papers", "hf.co/papers")
DOI_PREFIX = "10.48550/arxiv."
LINK_FORMS = (
    *(f"{host}/{page}" for host in ARXIV_HOSTS for page in ARXIV_PAGES),
    *(f"alphaxiv.org/{page}" for page in ALPHAXIV_PAGES),
    *HF_PAPER_PAGES,
    DOI_PREFIX.rstrip("."),
)
"""Every host and page a link to a paper may take, host first (any subdomain is accepted too)."""
TEXT_FORMS = ("arxiv:",)
"""The forms recognised in a post's words rather than its links."""


# The alternatives of the patterns below, each escaped.
_ARXIV_HOSTS, _ARXIV_PAGES, _ALPHAXIV_PAGES, _HF_PAPER_PAGES = (
    "|".join(map(re.escape, words)) for words in (ARXIV_HOSTS, ARXIV_PAGES, ALPHAXIV_PAGES, HF_PAPER_PAGES)
)
# Each pattern with the texts (lower case) it cannot match without: most links and texts hold
# none of them, and a substring test is far cheaper than a pattern (docs/performance.md).
_PATTERNS = tuple(
    (literals, re.compile(pattern, re.IGNORECASE))
    for literals, pattern in (
        (ARXIV_HOSTS, rf"{_HOST_START}(?:{_ARXIV_HOSTS})/(?:{_ARXIV_PAGES})/(?:arxiv:)?{_ID}"),
        (("alphaxiv.org",), rf"{_HOST_START}alphaxiv\.org/(?:{_ALPHAXIV_PAGES})/{_ID}"),
        (tuple(f"{page}/" for page in HF_PAPER_PAGES), rf"{_HOST_START}(?:{_HF_PAPER_PAGES})/(?P<id>{_NEW_ID})"),
        ((DOI_PREFIX,), rf"{re.escape(DOI_PREFIX)}{_ID}"),
        (TEXT_FORMS, rf"(?<![\w/.-])arxiv:\s?{_ID}"),
    )
)
# The letters IGNORECASE matches to an ASCII letter that ``str.lower`` does not make that letter
# (dotted and dotless i, long s): folded first, so that the literals' test never misses a match.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_VERSION = re.compile(r"v\d+$")
_SUBJECT_CLASS = re.compile(r"^([a-z-]+)\.[a-z-]+/", re.IGNORECASE)

# owner/name on github.com; owners are letters, digits and single inner hyphens.
_GITHUB_REPO = re.compile(
    r"(?<![\w.-])(?:www\.)?github\.com/(?P<owner>[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})/(?P<name>[\w.-]+)",
    re.IGNORECASE | re.ASCII,
)
# First path segments of github.com that are pages of GitHub itself, not accounts.
_GITHUB_PAGES = frozenset(
    [
        "about",
        "apps",
        "collections",
        "customer-stories",
        "enterprise",
        "events",
        "explore",
        "features",
        "login",
        "marketplace",
        "notifications",
        "orgs",
        "pricing",
        "search",
        "security",
        "settings",
        "site",
        "sponsors",
        "topics",
        "trending",
        "users",
    ]
)
_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)


def normalise_id(raw_id: str) -> str:
    """An arXiv id without version or old-style subject class, archive in lower case."""
    raw_id = _VERSION.sub("", raw_id)
    if "/" in raw_id:
        raw_id = _SUBJECT_CLASS.sub(r"\1/", raw_id)
        archive, number = raw_id.split("/", 1)
        return f"{archive.lower()}/{number}"
    return raw_id


def find_arxiv_ids(texts: Iterable[str]) -> list[str]:
    """Every arXiv id linked from ``texts`` (URLs or prose), versionless, first appearance first."""
    ids: dict[str, None] = {}
    for text in texts:
        # Only a text beyond ASCII can hold the letters folded: most texts skip the translation.
        folded = (text if text.isascii() else text.translate(_FOLD)).lower()
        matches = sorted(
            (match.start(), normalise_id(match["id"]))
            for literals, pattern in _PATTERNS
            if any(map(folded.__contains__, literals))
            for match in pattern.finditer(text)
        )
        ids.update(dict.fromkeys(paper_id for _, paper_id in matches))
    return list(ids)


def find_github_repos(texts: Iterable[str]) -> list[str]:
    """Every GitHub repository (``owner/name``, lower case) linked from ``texts``, first appearance first."""
    repos: dict[str, None] = {}
    for text in texts:
        for match in _GITHUB_REPO.finditer(text):
            owner = match["owner"].lower()
            # A sentence may end right after the URL; ".git" is the clone URL of the same repository.
            name = match["name"].lower().rstrip(".").removesuffix(".git")
            if owner not in _GITHUB_PAGES and name:
                repos.setdefault(f"{owner}/{name}", None)
    return list(repos)


def urls_in(text: str) -> list[str]:
    """The http(s) URLs written in ``text`` (for sources whose API gives only prose)."""
    return [url.rstrip(".,;:!?") for url in _URL.findall(text)]


def paper_ids_of(post: Post) -> list[str]:
    """The arXiv ids a post links, from its resolved URLs and its text, first appearance first.

    The one rule for what a post is about, so that scoring and a source's choice of posts to
    enrich (X's oEmbed) never disagree.
    """
    return find_arxiv_ids((*post.links, post.text))


def link_posts(posts: Iterable[Post], paper_ids: set[str]) -> dict[str, list[Post]]:
    """Each paper's posts. A post counts once per paper, however many of its URLs point there;
    reposts are not posts and link nothing."""
    by_paper: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.is_repost:
            continue
        for paper_id in paper_ids_of(post):
            if paper_id in paper_ids:
                by_paper[paper_id].append(post)
    return dict(by_paper)
