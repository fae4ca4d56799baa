"""``make demo`` as a newcomer meets it: honest about what is real, and a site that reads like a real day."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import real_fixture
from hotpapers.cli import main, run
from hotpapers.offline.demo import RECORDINGS, run_demo
from hotpapers.offline.runner import project_root

pytestmark = pytest.mark.integration

DAYS = ("2026-06-02", "2026-06-03", "2026-06-04")
# The services a post is on: a link to one of them with a made-up id would point at someone else's page.
POST_SERVICES = ("twitter.com", "x.com", "t.co", "bsky.app", "ycombinator.com", "reddit.com", "huggingface.co")
# The services' own scripts, loaded only where official embeds are turned on (never in the demo).
EMBED_SCRIPTS = ("platform.twitter.com", "embed.bsky.app")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo published as ``make demo`` does, with none of the caller's HOTPAPERS_* settings."""
    folder = tmp_path_factory.mktemp("demo")
    saved = {key: value for key, value in os.environ.items() if key.startswith("HOTPAPERS_")}
    for key in saved:
        del os.environ[key]
    try:
        assert run_demo(folder / "data", folder / "site", run) == 0
        yield folder
    finally:
        os.environ.update(saved)


def digest(demo: Path, day: str) -> dict:
    return json.loads((demo / "site" / "digests" / f"{day}.json").read_text(encoding="utf-8"))


def pages(demo: Path) -> dict[str, str]:
    site = demo / "site"
    return {str(path.relative_to(site)): path.read_text(encoding="utf-8") for path in site.rglob("*.html")}


def test_every_page_of_the_demo_says_what_is_real_and_what_is_illustrative(demo: Path) -> None:
    # Given the demo site, When a newcomer opens any page of it
    found = pages(demo)
    kinds = ("index.html", "about.html", "digests/", "papers/", "categories/", "top/2026-W23", "top/2026-06")
    assert all(any(kind in key for key in found) for kind in kinds)
    # Then each says, once and at its top, that the arXiv announcement is real and the posts illustrative
    for key, page in found.items():
        (banner,) = re.findall(r'<aside class="wrap site-notice".*?</aside>', page, re.DOTALL)
        assert "Real: arXiv&#39;s announcement of June 2, 2026" in banner, key
        assert "Illustrative: the posts, their fictional accounts and all attention figures" in banner, key
    # And the Markdown and the feeds say it too
    for day in DAYS:
        assert "> Demo site. Real: arXiv's announcement" in (demo / "site" / "digests" / f"{day}.md").read_text()
    assert "<subtitle>Demo site." in (demo / "site" / "feed.xml").read_text(encoding="utf-8")


def test_the_re_dated_days_say_so_on_their_own_pages_and_the_real_day_does_not(demo: Path) -> None:
    found = pages(demo)
    # (a paper's page is its day's: it says so for the papers of a re-dated day)
    papers = {f"papers/{entry['paper']['id']}.html" for day in DAYS[1:] for entry in digest(demo, day)["papers"]}
    for key, page in found.items():
        redated = key.startswith(("digests/2026-06-03", "digests/2026-06-04")) or key in papers
        assert ("Re-dated: real papers of arXiv&#39;s announcement of June 2, 2026" in page) == redated, key
    assert "shown as the digest of June 4, 2026" in found["digests/2026-06-04.html"]


def test_no_post_says_it_is_a_sample_and_every_account_is_fictional(demo: Path) -> None:
    # The real Hugging Face answer the old demo re-pointed: its people never appear on the demo's posts
    real_hf = json.loads(real_fixture("hf_daily_papers_2026-06-12_default.json"))
    real_people = {
        name
        for item in real_hf
        for user in (item["paper"].get("submittedOnDailyBy") or {}, item.get("submittedBy") or {})
        for name in (user.get("fullname"), user.get("name"))
        if name
    }
    for day in DAYS:
        posts = [post for entry in digest(demo, day)["papers"] for post in entry["posts"]]
        assert {post["source"] for post in posts} == {"x", "hackernews", "bluesky", "reddit", "huggingface"}, day
        for post in posts:
            said = " ".join(str(post.get(field) or "") for field in ("text", "html"))
            assert not re.search(r"\bSAMPLE\b", said), post
            assert not re.search(r"sample post|hp[_-]sample", said, re.IGNORECASE), post
            assert "sample" not in f"{post['author_name']} {post['author_handle']}".lower(), post
            assert not {post["author_name"], post["author_handle"]} & real_people, post
        markdown = (demo / "site" / "digests" / f"{day}.md").read_text(encoding="utf-8")
        assert not re.search(r"SAMPLE|Sample Reader|hp_sample|hp-sample", markdown)


def test_hugging_face_entries_name_only_each_papers_own_authors(demo: Path) -> None:
    # Given each demo day's arXiv answer (real papers) and its Hugging Face answer
    root = project_root() / RECORDINGS
    for day in DAYS:
        folder = root / day
        listing = next(folder.glob("arxiv_api_*.xml")).read_text(encoding="utf-8")
        (hf_file,) = folder.glob("hf_daily_papers_*.json")
        for item in json.loads(hf_file.read_text(encoding="utf-8")):
            paper = item["paper"]
            entry = listing[listing.index(f"<id>http://arxiv.org/abs/{paper['id']}v1</id>") :]
            entry = entry[: entry.index("</entry>")]
            authors = re.findall(r"<name>(.*?)</name>", entry)
            # Then an entry's authors are its own paper's, and its title is that paper's
            assert [author["name"] for author in paper["authors"]] == [
                a.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") for a in authors
            ]
            assert paper["title"] == item["title"]


def test_no_post_links_a_made_up_id_on_a_real_service(demo: Path) -> None:
    for day in DAYS:
        for entry in digest(demo, day)["papers"]:
            for post in entry["posts"]:
                # A post's own address is on the reserved .example domain
                assert urlsplit(post["url"]).hostname.endswith(".example"), post["url"]
    # And no page or Markdown links a post service at all, except the services' embed scripts' names
    site = demo / "site"
    for path in [*site.rglob("*.html"), *site.rglob("*.md"), *site.rglob("*.json"), *site.rglob("*.xml")]:
        for url in re.findall(r"https?://[^\s\"'<>)\]]+", path.read_text(encoding="utf-8")):
            host = urlsplit(url).hostname or ""
            if host in EMBED_SCRIPTS:
                continue
            assert not any(host == s or host.endswith("." + s) for s in POST_SERVICES), (path, url)


def test_each_day_has_figures_of_its_own(demo: Path) -> None:
    # Given the three days' listed papers
    listed = {day: digest(demo, day)["papers"] for day in DAYS}
    assert all(len(papers) >= 15 for papers in listed.values())
    # Then no day's figures are another's: hardly a paper's per-source figures recur on another day
    figures = {day: [json.dumps(entry["counts"], sort_keys=True) for entry in papers] for day, papers in listed.items()}
    for day in DAYS:
        for other in DAYS:
            if day < other:
                assert len(set(figures[day]) & set(figures[other])) <= 1, (day, other)
    # And the week page never shows one score from each of the three days (the copied figures did)
    scores = [{entry["score"] for entry in papers} for papers in listed.values()]
    assert not scores[0] & scores[1] & scores[2]
    week = (demo / "site" / "top" / "2026-W23.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<td class="n">(\d+)<span', week)) == min(50, sum(map(len, listed.values())))
    # And the papers of the three days are three different sets of real papers
    ids = [{entry["paper"]["id"] for entry in papers} for papers in listed.values()]
    assert len(ids[0] | ids[1] | ids[2]) == sum(map(len, ids))


def test_rescore_of_the_demo_publishes_what_the_demo_published_byte_for_byte(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a copy of the demo's data and site, and a shell with no HOTPAPERS_* setting at all
    shutil.copytree(demo, tmp_path / "copy")
    before = {
        path.relative_to(tmp_path / "copy"): path.read_bytes()
        for path in (tmp_path / "copy").rglob("*.*")
        if path.is_file()
    }

    # When the demo's first day is rescored there, and every day rendered again
    data, site = str(tmp_path / "copy" / "data"), str(tmp_path / "copy" / "site")
    assert main(["rescore", "--date", "2026-06-02", "--data", data, "--site", site]) == 0
    assert main(["render", "--all", "--data", data, "--site", site]) == 0

    # Then every file is as the demo wrote it: the ranking, the pages, the notice, the about page
    after = {
        path.relative_to(tmp_path / "copy"): path.read_bytes()
        for path in (tmp_path / "copy").rglob("*.*")
        if path.is_file()
    }
    assert sorted(after) == sorted(before)
    changed = [str(name) for name in before if before[name] != after[name]]
    assert changed == []


def test_status_after_the_demo_shows_its_days_and_says_where_they_are(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a checkout where only `make demo` has run (its output in demo-output/)
    shutil.copytree(demo, tmp_path / "demo-output")
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()

    # When the status is asked with the default directories
    assert main(["status"]) == 0

    # Then it says where the demo's days are, and shows each with its snapshot, scored file and digest
    out = capsys.readouterr().out
    assert "Nothing stored yet here. The demo's days, in demo-output/data and demo-output/site:" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert rows["2026-06-02"][:6] == ["2026-06-02", "yes", "yes", "yes", "715", rows["2026-06-02"][5]]
    assert [rows[day][1:4] for day in DAYS] == [["yes", "yes", "yes"]] * 3
    assert rows["2026-06-03"][4] == rows["2026-06-04"][4] == "240"
