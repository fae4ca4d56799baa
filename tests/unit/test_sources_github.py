"""GitHub stars: gained in the window when the stored pages reach back to it, otherwise a labelled total."""

from __future__ import annotations

import json

import pytest
from hotpapers.models import Paper, Post
from hotpapers.sources import MalformedDocumentError
from hotpapers.sources.github import GitHub, repository_of
from hotpapers.sources.huggingface import HuggingFace
from support.sources_day import REAL_FIXTURES, WINDOW_START, fixture, stargazer_pages

REPO = "repo-hp-sample__paper-a.json"


def paper(abstract: str = "Code: https://github.com/hp-sample/paper-a.", comment: str | None = None) -> Paper:
    return Paper("2606.01001", 1, "Paper A", ("A",), ("cs.LG",), abstract, "", "", comment)


def hf_post(repo: str | None, stars: int | None) -> Post:
    metrics = {"upvotes": 33, "comments": 1, **({"github_stars": stars} if stars is not None else {})}
    links = ("https://huggingface.co/papers/2606.01001", *([repo] if repo else []))
    return Post("huggingface", "2606.01001", links[0], "HF", "hf", "Paper A", "", metrics, links)


def repository_documents(total: int, in_window: int, pages: list[int]) -> dict[str, bytes]:
    """The repository answer and the stargazer pages a fetch stored (newest pages first)."""
    answer = {**json.loads(fixture("github_repo_DOCUMENTED_SHAPE.json")), "stargazers_count": total}
    stars = stargazer_pages(total, in_window)
    stored = {REPO: json.dumps(answer).encode()}
    stored.update(
        {f"stargazers-hp-sample__paper-a-{page:04d}.json": json.dumps(stars[page - 1]).encode() for page in pages}
    )
    return stored


def counts(documents: dict[str, bytes], *posts: Post, of: Paper | None = None) -> dict[str, dict[str, int]]:
    return GitHub.paper_counts(documents, WINDOW_START, {"2606.01001": of or paper()}, {"2606.01001": list(posts)})


def test_stars_gained_in_the_window_are_counted_when_the_pages_reach_back_to_it() -> None:
    # Given 250 stars, 210 of them in the window, and the three newest pages stored (down to page 1)
    documents = repository_documents(250, 210, pages=[3, 2, 1])
    # Then the paper's figure is the stars of the window
    assert counts(documents) == {"2606.01001": {"stars": 210}}


def test_one_star_before_the_window_is_enough_to_know_the_gain() -> None:
    # Given 450 stars, the newest 50 on page 5 and 100 a page before: pages 5, 4 and 3 hold 250 stars
    documents = repository_documents(450, 249, pages=[5, 4, 3])
    # Then the oldest stored star predates the window, and the gain is known
    assert counts(documents) == {"2606.01001": {"stars": 249}}


def test_a_gain_the_stored_pages_cannot_reach_is_given_as_a_total() -> None:
    # Given 480 stars, 420 of them in the window, and only the three newest pages stored (280 stars)
    documents = repository_documents(480, 420, pages=[5, 4, 3])
    # Then the gain is unknown, and the figure is the total, under its own name
    assert counts(documents) == {"2606.01001": {"stars_total": 480}}


def test_a_repository_without_stars_gained_none() -> None:
    assert counts(repository_documents(0, 0, pages=[])) == {"2606.01001": {"stars": 0}}


def test_hugging_face_stars_stand_in_as_a_total_when_github_was_not_asked() -> None:
    # Given Hugging Face naming the paper's repository and its stars, and nothing stored from GitHub
    post = hf_post("https://github.com/HP-Sample/Paper-A", 77)
    # Then its stars are shown, as a total
    assert counts({}, post) == {"2606.01001": {"stars_total": 77}}


def test_papers_without_a_repository_get_no_figure() -> None:
    assert counts(repository_documents(250, 210, [3, 2, 1]), of=paper(abstract="No code.")) == {}


def test_the_repository_is_hugging_faces_else_the_first_in_comment_then_abstract() -> None:
    in_text = paper(abstract="Built on https://github.com/other/lib.", comment="Code: github.com/hp-sample/paper-a")
    assert repository_of(in_text, []).name == "hp-sample/paper-a"  # type: ignore[union-attr]
    from_hf = repository_of(in_text, [hf_post("https://github.com/hf-named/repo", None)])
    assert (from_hf.name, from_hf.hf_stars) == ("hf-named/repo", None)  # type: ignore[union-attr]
    assert repository_of(paper(abstract="No code."), []) is None


def test_a_repository_name_longer_than_github_gives_is_no_repository() -> None:
    # Given links to a 100-letter repository name (GitHub's longest) and to a 101-letter one first
    longest, longer = "n" * 100, "n" * 101
    links = f"https://github.com/owner/{longer} and https://github.com/owner/{longest}"
    # When the paper's repository is chosen / Then the over-long name is passed over, from either place
    assert repository_of(paper(abstract=links), []).name == f"owner/{longest}"  # type: ignore[union-attr]
    post = hf_post(f"https://github.com/owner/{longer}", None)
    assert repository_of(paper(abstract=f"https://github.com/owner/{longest}"), [post]).name == f"owner/{longest}"  # type: ignore[union-attr]
    assert repository_of(paper(abstract=f"github.com/owner/{longer}"), []) is None


def test_hugging_face_posts_carry_the_repository_and_its_stars_as_received() -> None:
    # Given the real daily_papers answer, in which 16 of 30 papers name a repository with stars
    real = (REAL_FIXTURES / "hf_daily_papers_2026-06-12_default.json").read_bytes()
    posts = {post.id: post for post in HuggingFace.parse({"daily_papers-2026-06-12.json": real})}
    # Then those posts link the repository and carry its stars, which add nothing to engagement
    with_stars = [post for post in posts.values() if "github_stars" in post.metrics]
    assert len(with_stars) == 16
    msa = posts["2606.13392"]
    assert msa.links == ("https://huggingface.co/papers/2606.13392", "https://github.com/MiniMax-AI/MSA")
    assert msa.metrics == {"upvotes": 103, "comments": 4, "github_stars": 251}
    assert HuggingFace.engagement(msa) == 103
    # And a paper page that names a project page links it too, after the repository
    assert posts["2606.10423"].links == (
        "https://huggingface.co/papers/2606.10423",
        "https://github.com/jayoohwang1/webchallenger",
        "https://jayoohwang1.github.io/webchallenger-site/",
    )


def test_stars_all_in_the_window_are_a_gain_once_the_oldest_page_is_stored() -> None:
    # Given 50 stars, every one in the window, on the one (oldest) page
    documents = repository_documents(50, 50, pages=[1])
    assert counts(documents) == {"2606.01001": {"stars": 50}}


def test_a_star_given_at_the_windows_start_does_not_prove_the_pages_reach_before_it() -> None:
    # Given 150 stars and only the newest page stored, its oldest star given at the window's start itself
    stars = stargazer_pages(150, 150)
    stars[1][0]["starred_at"] = WINDOW_START.strftime("%Y-%m-%dT%H:%M:%SZ")
    documents = repository_documents(150, 150, pages=[])
    documents["stargazers-hp-sample__paper-a-0002.json"] = json.dumps(stars[1]).encode()
    # Then the gain is unknown, and the total is shown
    assert counts(documents) == {"2606.01001": {"stars_total": 150}}


def test_the_stored_documents_are_read_in_any_order() -> None:
    documents = repository_documents(250, 210, pages=[3, 2, 1])
    reordered = {name: documents[name] for name in sorted(documents, key=lambda name: name != REPO, reverse=True)}
    assert next(iter(reordered)) != REPO
    assert counts(reordered) == {"2606.01001": {"stars": 210}}


def test_a_repository_whose_name_holds_a_double_underscore_is_counted() -> None:
    # Given a repository "hp-sample/paper__a": account names cannot hold "_", repository names can
    documents = {
        "repo-hp-sample__paper__a.json": json.dumps({"stargazers_count": 3}).encode(),
        "stargazers-hp-sample__paper__a-0001.json": json.dumps(stargazer_pages(3, 3)[0]).encode(),
    }
    # Then its stars are the paper's
    assert counts(documents, of=paper("Code: https://github.com/hp-sample/paper__a")) == {"2606.01001": {"stars": 3}}


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        (REPO, b"<html>", f"{REPO} has no JSON"),
        (REPO, b'{"stargazers_count": "many"}', f"{REPO} has no stargazers_count"),
        ("stargazers-hp-sample__paper-a-0001.json", b"<html>", "stargazers-hp-sample__paper-a-0001.json has no JSON"),
        (
            "stargazers-hp-sample__paper-a-0001.json",
            b"{}",
            "stargazers-hp-sample__paper-a-0001.json has no list of items",
        ),
    ],
)
def test_a_stored_document_that_is_garbage_is_named(name: str, body: bytes, message: str) -> None:
    documents = {**repository_documents(50, 50, pages=[1]), name: body}
    with pytest.raises(MalformedDocumentError) as failure:
        counts(documents)
    assert str(failure.value) == message
