"""Linking: every form a paper is written in is found, nothing else is, and a post counts once per paper."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

import pytest
from hotpapers import linking
from hotpapers.linking import (
    LINK_FORMS,
    TEXT_FORMS,
    find_arxiv_ids,
    find_github_repos,
    link_posts,
    normalise_id,
    urls_in,
)
from hotpapers.models import Post
from hypothesis import given
from hypothesis import strategies as st

MONTHS = st.integers(1, 12).map(lambda month: f"{month:02d}")
NEW_IDS = st.builds(
    lambda year, month, number: f"{year:02d}{month}.{number}",
    st.integers(7, 99),
    MONTHS,
    st.one_of(st.integers(0, 9999).map(lambda n: f"{n:04d}"), st.integers(0, 99999).map(lambda n: f"{n:05d}")),
)
ARCHIVES = st.sampled_from(["hep-th", "hep-ph", "astro-ph", "cond-mat", "math", "cs", "quant-ph", "q-bio", "gr-qc"])
SUBJECT_CLASSES = st.sampled_from(["", ".AG", ".LG", ".mes-hall", ".stat-mech", ".CO"])
OLD_IDS = st.builds(
    lambda archive, year, month, number: f"{archive}/{year:02d}{month}{number:03d}",
    ARCHIVES,
    st.sampled_from([91, 95, 99, 0, 3, 7]),
    MONTHS,
    st.integers(0, 999),
)
VERSIONS = st.one_of(st.just(""), st.integers(1, 30).map(lambda n: f"v{n}"))
SCHEMES = st.sampled_from(["", "http://", "https://", "HTTPS://"])
# Prose around a link: never a digit, dot or letter touching it, as a space always separates them.
PROSE = st.text(alphabet=string.ascii_letters + " ,;!?()'\n", max_size=40)

URL_FORMS = [
    "{scheme}arxiv.org/abs/{id}{v}",
    "{scheme}www.arxiv.org/abs/{id}{v}",
    "{scheme}export.arxiv.org/abs/{id}{v}",
    "{scheme}arxiv.org/pdf/{id}{v}",
    "{scheme}arxiv.org/pdf/{id}{v}.pdf",
    "{scheme}arxiv.org/html/{id}{v}",
    "{scheme}arxiv.org/html/{id}{v}/#S3",
    "{scheme}arxiv.org/abs/{id}{v}?context=cs.LG",
    "{scheme}ArXiv.org/Abs/{id}{v}",
    "{scheme}www.alphaxiv.org/abs/{id}{v}",
    "{scheme}alphaxiv.org/overview/{id}{v}",
    "{scheme}ar5iv.org/abs/{id}{v}",
    "{scheme}ar5iv.labs.arxiv.org/html/{id}{v}",
    "{scheme}doi.org/10.48550/arXiv.{id}{v}",
    "doi:10.48550/ARXIV.{id}",
    "arXiv:{id}{v}",
    "arXiv: {id}{v}",
    "(arxiv:{id}{v})",
]
NEW_ONLY_FORMS = ["{scheme}huggingface.co/papers/{id}", "{scheme}hf.co/papers/{id}"]
OLD_FORMS = [
    "{scheme}arxiv.org/abs/{id}{v}",
    "{scheme}export.arxiv.org/abs/{id}{v}",
    "{scheme}arxiv.org/pdf/{id}{v}",
    "{scheme}arxiv.org/pdf/{id}{v}.pdf",
    "arXiv:{id}{v}",
]


def strip_subject_class(old_id: str) -> str:
    archive_and_class, number = old_id.split("/")
    return f"{archive_and_class.split('.')[0].lower()}/{number}"


@given(
    paper_id=NEW_IDS,
    version=VERSIONS,
    scheme=SCHEMES,
    form=st.sampled_from(URL_FORMS + NEW_ONLY_FORMS),
    before=PROSE,
    after=PROSE,
)
def test_every_form_of_a_new_style_id_is_found(
    paper_id: str, version: str, scheme: str, form: str, before: str, after: str
) -> None:
    # Given a paper written in one of its forms, somewhere in a sentence
    text = f"{before} {form.format(scheme=scheme, id=paper_id, v=version)} {after}"
    # When ids are looked for
    found = find_arxiv_ids([text])
    # Then exactly the paper is found, without its version
    assert found == [paper_id]


@given(
    old_id=st.builds(lambda base, subject: base.replace("/", subject + "/", 1), OLD_IDS, SUBJECT_CLASSES),
    version=VERSIONS,
    scheme=SCHEMES,
    form=st.sampled_from(OLD_FORMS),
    after=PROSE,
)
def test_old_style_ids_are_found_without_version_or_subject_class(
    old_id: str, version: str, scheme: str, form: str, after: str
) -> None:
    # Given an old-style id such as hep-th/9901001 or math.AG/0601001, in a link or as arXiv:<id>
    text = f"see {form.format(scheme=scheme, id=old_id, v=version)} {after}"
    # Then it is found as arXiv names it today: archive only, lower case, no version
    assert find_arxiv_ids([text]) == [strip_subject_class(old_id)]


@given(ids=st.lists(NEW_IDS, min_size=1, max_size=6), form=st.sampled_from(URL_FORMS), data=st.data())
def test_ids_come_once_each_in_order_of_first_appearance(ids: list[str], form: str, data: st.DataObject) -> None:
    # Given several links (some to the same paper), split over several texts
    links = [form.format(scheme="https://", id=paper_id, v="") for paper_id in ids]
    cut = data.draw(st.integers(0, len(links)))
    texts = [" and ".join(links[:cut]), " then ".join(links[cut:])]
    # Then each paper is found once, first appearance first
    assert find_arxiv_ids(texts) == list(dict.fromkeys(ids))


@given(text=st.text(alphabet=string.ascii_letters + string.digits + " .,:/-\n", max_size=80))
def test_text_without_a_paper_form_finds_nothing(text: str) -> None:
    # Given prose, numbers and paths that name no paper host and no arXiv prefix
    text = text.replace("arxiv", "").replace("ar5iv", "").replace("10.48550", "")
    # Then no id is made up from the numbers in it
    assert find_arxiv_ids([text]) == []


@pytest.mark.parametrize(
    "text",
    [
        "https://notarxiv.org/abs/2606.01234",
        "https://my-arxiv.org/abs/2606.01234",
        "https://arxiv.org/abs/2613.01234",  # month 13
        "https://arxiv.org/abs/2600.01234",  # month 00
        "https://arxiv.org/abs/2606.012345",  # six digits
        "https://arxiv.org/abs/2606.123",  # three digits
        "https://arxiv.org/abs/foo-bar/9901001",  # no such archive
        "https://arxiv.org/list/cs.LG/recent",
        "version 2606.01234 of the software",
        "doi:10.1000/arXiv.2606.01234",
        "xarXiv:2606.01234",
    ],
)
def test_near_misses_are_not_papers(text: str) -> None:
    assert find_arxiv_ids([text]) == []


def test_normalise_id_drops_version_and_subject_class() -> None:
    assert normalise_id("2606.01234v3") == "2606.01234"
    assert normalise_id("HEP-TH/9901001v2") == "hep-th/9901001"
    assert normalise_id("cond-mat.mes-hall/0601001") == "cond-mat/0601001"


def post(post_id: str, *links: str, text: str = "", repost: bool = False) -> Post:
    return Post("x", post_id, f"https://x.test/{post_id}", "A", "a", text, "", {"likes": 1}, links, repost)


def test_a_post_counts_once_per_paper_however_many_links_point_there() -> None:
    # Given a post linking paper 2606.01001 by abs, versioned pdf and DOI, and naming it in text
    many = post(
        "1",
        "https://arxiv.org/abs/2606.01001",
        "https://arxiv.org/pdf/2606.01001v2.pdf",
        "https://doi.org/10.48550/arXiv.2606.01001",
        text="arXiv:2606.01001 and also 2606.01002 on https://huggingface.co/papers/2606.01002",
    )
    # When linked to the day's papers
    linked = link_posts([many], {"2606.01001", "2606.01002", "2606.01003"})
    # Then it is listed once under each paper it names, and under no other
    assert linked == {"2606.01001": [many], "2606.01002": [many]}


def test_reposts_link_nothing_and_papers_of_other_days_are_left_out() -> None:
    repost = post("2", "https://arxiv.org/abs/2606.01001", repost=True)
    older = post("3", "https://arxiv.org/abs/1706.03762")
    assert link_posts([repost, older], {"2606.01001"}) == {}


def test_github_repositories_are_read_from_links_and_prose() -> None:
    texts = [
        "Code: https://github.com/Drchip61/PASD.",
        "see github.com/a-b/c.git and https://www.github.com/a-b/c/tree/main",
        "https://github.com/orgs/acme/people and https://github.com/sponsors/x",
        "https://github.com/only-an-owner",
        "https://notgithub.com/x/y",
    ]
    assert find_github_repos(texts) == ["drchip61/pasd", "a-b/c"]


def test_urls_are_taken_from_markdown_prose() -> None:
    text = "Read [the paper](https://arxiv.org/pdf/2606.01002.pdf)? Abstract: https://arxiv.org/abs/2606.01002v1."
    assert urls_in(text) == ["https://arxiv.org/pdf/2606.01002.pdf", "https://arxiv.org/abs/2606.01002v1"]


def test_ids_come_in_order_of_appearance_whatever_form_links_them() -> None:
    # Given prose naming a paper as arXiv:<id> before a URL of another
    text = "Compare arXiv:2606.01002 with https://arxiv.org/abs/2606.01001 and 10.48550/arXiv.2606.01003"
    # Then the ids are in the order the text has them, not the order of the patterns
    assert find_arxiv_ids([text]) == ["2606.01002", "2606.01001", "2606.01003"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://arxiv.org/abs/arXiv:2606.01001v2", ["2606.01001"]),
        ("http://xxx.lanl.gov/abs/hep-th/9901001", ["hep-th/9901001"]),
        ("xxx.lanl.gov/pdf/2606.01001", ["2606.01001"]),
    ],
)
def test_the_older_link_forms_are_found(text: str, expected: list[str]) -> None:
    assert find_arxiv_ids([text]) == expected


def test_a_www_github_link_names_its_repository() -> None:
    assert find_github_repos(["Code: https://www.github.com/Hp-Sample/Paper-A."]) == ["hp-sample/paper-a"]


def _ids_by_every_pattern(text: str) -> list[str]:
    """The ids every pattern finds in ``text``, each pattern run whatever the text holds."""
    matches = sorted(
        (match.start(), normalise_id(match["id"]))
        for _, pattern in linking._PATTERNS
        for match in pattern.finditer(text)
    )
    return list(dict.fromkeys(paper_id for _, paper_id in matches))


# Letters a case-insensitive pattern takes for i, s and k, though ``str.lower`` does not make them so.
LOOKALIKES = {"\u0130": "i", "\u0131": "i", "I": "i", "\u017f": "s", "S": "s", "\u212a": "k"}


@given(
    form=st.sampled_from(URL_FORMS + NEW_ONLY_FORMS),
    paper_id=NEW_IDS,
    scheme=SCHEMES,
    swaps=st.lists(st.tuples(st.integers(0, 9), st.sampled_from(sorted(LOOKALIKES))), max_size=3),
)
def test_the_literal_test_finds_what_running_every_pattern_finds(
    form: str, paper_id: str, scheme: str, swaps: list[tuple[int, str]]
) -> None:
    # Given a link in any form, some of its letters swapped for ones IGNORECASE takes for them
    text = list(form.format(scheme=scheme, id=paper_id, v=""))
    for nth, lookalike in swaps:
        places = [at for at, letter in enumerate(text) if letter.lower() == LOOKALIKES[lookalike]]
        if places:
            text[places[nth % len(places)]] = lookalike
    # When its ids are found
    found = find_arxiv_ids(["".join(text)])
    # Then they are those every pattern, run over the text whatever it holds, finds
    assert found == _ids_by_every_pattern("".join(text))


def test_a_text_without_a_papers_literal_runs_no_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the patterns watched
    ran: list[str] = []

    class Watched:
        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern = pattern

        def finditer(self, text: str) -> Iterator[re.Match[str]]:
            ran.append(self.pattern.pattern)
            return self.pattern.finditer(text)

    monkeypatch.setattr(linking, "_PATTERNS", tuple((literals, Watched(p)) for literals, p in linking._PATTERNS))
    # When a link and a text that name no paper are read
    assert find_arxiv_ids(["https://example.com/blog/2401.12345", "a great read, v2 soon"]) == []
    # Then no pattern ran over them; a text with a paper's literal runs only its own
    assert ran == []
    assert find_arxiv_ids(["see arXiv:2401.12345"]) == ["2401.12345"]
    assert len(ran) == 1


def test_only_sentence_punctuation_is_trimmed_from_a_url_in_prose() -> None:
    # Given URLs ending in letters (capitals too) and followed by punctuation
    text = "See https://example.org/paperX. and https://example.org/XX?, or https://example.org/a!"
    # When found / Then the punctuation after each is trimmed, the letters kept
    assert urls_in(text) == ["https://example.org/paperX", "https://example.org/XX", "https://example.org/a"]


def test_every_form_of_link_is_data_the_patterns_and_the_searches_share() -> None:
    # Given every host and page a link to a paper may take, written out
    forms = [
        "arxiv.org/abs",
        "arxiv.org/pdf",
        "arxiv.org/html",
        "arxiv.org/format",
        "arxiv.org/ps",
        "ar5iv.org/abs",
        "ar5iv.org/pdf",
        "ar5iv.org/html",
        "ar5iv.org/format",
        "ar5iv.org/ps",
        "xxx.lanl.gov/abs",
        "xxx.lanl.gov/pdf",
        "xxx.lanl.gov/html",
        "xxx.lanl.gov/format",
        "xxx.lanl.gov/ps",
        "alphaxiv.org/abs",
        "alphaxiv.org/overview",
        "alphaxiv.org/pdf",
        "huggingface.co/papers",
        "hf.co/papers",
        "10.48550/arxiv",
    ]
    # Then the linker lists exactly these, in this order, and the words' form apart
    assert forms == list(LINK_FORMS)
    assert TEXT_FORMS == ("arxiv:",)
    # And each finds the paper in a link
    for form in forms[:-1]:
        assert find_arxiv_ids([f"https://{form}/2606.01001"]) == ["2606.01001"], form
    assert find_arxiv_ids(["https://doi.org/10.48550/arxiv.2606.01001"]) == ["2606.01001"]
    # And no other page of those hosts does
    for page in ("arxiv.org/list", "alphaxiv.org/html", "hf.co/models", "ar5iv.org/view"):
        assert find_arxiv_ids([f"https://{page}/2606.01001"]) == [], page
