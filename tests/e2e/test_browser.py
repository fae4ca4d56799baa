"""A reader's view: the published site in headless Chromium (Debian's, driven by Playwright).

Two sites are served on loopback: the demo's three recorded days, and a day whose every upstream
text field carries an injection attempt. axe-core comes from the npm registry (``.ci/run``
installs it into ``.cache/axe``; ``HOTPAPERS_AXE_JS`` may point elsewhere).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hotpapers import layout, website
from hotpapers.cli import run
from hotpapers.models import Post
from hotpapers.offline.demo import run_demo
from hotpapers.scoring import Rules, score_snapshot
from hotpapers.snapshot import Snapshot
from hotpapers.store import LocalStore
from support.builders import SEED_WINDOW, atom_entry, atom_feed, tweet, x_page

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(os.environ.get("HOTPAPERS_AXE_JS") or ROOT / ".cache/axe/node_modules/axe-core/axe.min.js")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
XSS = [
    '<img src="x" onerror="window.__pwned = 1">',
    '"><script>window.__pwned = 1</script>',
    "<svg onload=window.__pwned=1>",
    "$<img src=x onerror=window.__pwned=1>$",
    r"$\href{javascript:window.__pwned=1}{x}$",
    "&#60;img src=x onerror=window.__pwned=1&#62;",
]
EVIL_URL = "javascript:window.__pwned=1"
METRICS = {
    "x": {"retweets": 3, "likes": 30},
    "hackernews": {"points": 30, "comments": 3},
    "bluesky": {"likes": 30, "reposts": 3},
    "reddit": {"score": 30, "comments": 3},
    "huggingface": {"upvotes": 30, "comments": 3},
}


def _required(message: str) -> None:
    if os.environ.get("HOTPAPERS_REQUIRE_ALL_TIERS"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if CHROMIUM is None:
        _required("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    return str(CHROMIUM)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        _required(f"axe-core is not installed at {AXE} (npm install --prefix .cache/axe axe-core); .ci/run does")
    return AXE.read_text(encoding="utf-8")


def _serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The demo's recorded days, published as ``make demo`` does, served on loopback."""
    folder = tmp_path_factory.mktemp("demo")
    assert run_demo(folder / "data", folder / "site", run) == 0
    server, url = _serve(folder / "site")
    try:
        yield url, folder / "site"
    finally:
        server.shutdown()
        server.server_close()


def _evil_day() -> dict[str, Any]:
    """A scored day whose every upstream text field (and every URL) is an injection attempt."""
    post = tweet("1", "a", "https://arxiv.org/abs/2606.00001", likes=900, text=f"seed {EVIL_URL}")
    # X names a script URL among the post's links: its markup is built from these entities.
    post["entities"]["urls"].append({"url": EVIL_URL, "expanded_url": "https://example.org/"})
    snapshot = Snapshot(
        manifest={
            "date": "2026-06-02",
            "fetched_at": "2026-06-03T07:46:45Z",
            "window": SEED_WINDOW,
            "sources": {"x": {"status": "ok", "error": None, "files": []}},
        },
        arxiv=[atom_feed([atom_entry("2606.00001", f"Title {XSS[0]}", abstract=" ".join(XSS))])],
        sources={"x": {"search-0000.json": json.dumps(x_page([post])).encode()}},
    )
    day = score_snapshot(snapshot, Rules())
    entry = day["papers"][0]
    entry["paper"]["title"] = " ".join(XSS)
    entry["paper"]["authors"] = [f"Author {n} {payload}" for n, payload in enumerate(XSS * 2)]
    entry["paper"]["categories"] = ["cs.LG", XSS[0]]
    posts = []
    for n, payload in enumerate(XSS):
        for source, metrics in METRICS.items():
            posts.append(
                Post(
                    source,
                    f"{source}-{n}",
                    EVIL_URL if n % 2 else f"https://example.org/{payload}",
                    f"Name {payload}",
                    f"handle{payload}",
                    f"Text {payload} https://example.org/?q={payload}",
                    payload,
                    metrics,
                    links=(EVIL_URL,),
                    html=payload,
                    venue=payload,
                ).to_dict()
                | {"engagement": 30}
            )
    entry["posts"] = [*entry["posts"], *posts]
    return day


MARKDOWN_PAGE = "digests/2026-06-02.md.html"
# The official embeds' own scripts, which the Markdown carries as the seed's did and a blog loads.
EMBED_SCRIPTS = ("https://platform.twitter.com/widgets.js", "https://embed.bsky.app/static/embed.js")


def blog_page(markdown: str) -> str:
    """The Markdown digest as a front-matter blog publishes it: front matter read off, the rest
    rendered by a CommonMark renderer that passes raw HTML through."""
    from markdown_it import MarkdownIt

    _, _, body = markdown.removeprefix("---\n").partition("\n---\n")
    rendered = MarkdownIt("commonmark", {"html": True}).render(body)
    head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blog</title></head>'
    return f"{head}<body><main>{rendered}</main></body></html>"


@pytest.fixture(scope="module", params=[False, True], ids=["static", "embeds"])
def evil_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The evil day published with static posts, or with the official embeds turned on, and its
    Markdown digest rendered as a blog would."""
    folder = tmp_path_factory.mktemp("evil")
    website.publish_day(_evil_day(), website.SiteOptions(sources=("x",), embeds=request.param), LocalStore(folder))
    markdown = (folder / "digests/2026-06-02.md").read_text(encoding="utf-8")
    (folder / MARKDOWN_PAGE).write_text(blog_page(markdown), encoding="utf-8")
    server, url = _serve(folder)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


class Reader:
    """One browser page that records console errors and refuses every request off loopback."""

    def __init__(self, browser: Any, site: str, scheme: str = "light", width: int = 1280) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 1000}, color_scheme=scheme)
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", lambda route: self._route(route, site))

    def _route(self, route: Any, site: str) -> None:
        if route.request.url.startswith(site) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, url: str) -> Any:
        response = self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return response


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def paper_page(folder: Path, day: str = "2026-06-02") -> str:
    """The site path of the page of ``day``'s first paper."""
    digest = json.loads((folder / f"digests/{day}.json").read_text(encoding="utf-8"))
    path = layout.paper_page(digest["papers"][0]["paper"]["id"])
    assert path is not None
    return path


PAGES = [
    "index.html",
    "digests/2026-06-02.html",
    "digests/2026-06-03.html",
    "categories/cs.CV.html",
    "top/2026-W23.html",
    "top/2026-06.html",
    "about.html",
    "search.html?q=diffusion",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_loads_clean_local_and_accessible(
    browser: Any, demo_site: tuple[str, Path], axe_source: str, scheme: str
) -> None:
    site, folder = demo_site
    for path in (*PAGES, paper_page(folder)):
        # Given a reader on each page type, in the colour scheme
        reader = Reader(browser, site, scheme)
        # When the page loads
        assert reader.open(f"{site}/{path}").status == 200, path
        # Then nothing went wrong and nothing left the machine
        assert reader.errors == [], path
        assert reader.outside == [], path
        # And the scheme applies
        background = reader.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(18, 18, 18)" if scheme == "dark" else "rgb(246, 245, 243)"), path
        # And no horizontal scroll on a phone
        reader.page.set_viewport_size({"width": 360, "height": 800})
        assert reader.page.evaluate("document.documentElement.scrollWidth") <= 360, path
        reader.page.set_viewport_size({"width": 1280, "height": 1000})
        # And axe finds no serious or critical violation
        reader.page.add_script_tag(content=axe_source)
        violations = reader.page.evaluate("axe.run(document).then(result => result.violations)")
        serious = [
            (v["id"], v["impact"], v["nodes"][0]["target"])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (path, scheme)
        reader.page.close()


def test_a_folded_abstract_opens_in_place_with_its_math_typeset_to_its_end(
    browser: Any, demo_site: tuple[str, Path]
) -> None:
    site, _ = demo_site
    # Given a reader on a digest, at a paper whose abstract is longer than its card's opening
    # (one with math, where the demo has one: the fold's math is checked below on a built page)
    reader = Reader(browser, site)
    reader.open(f"{site}/digests/2026-06-02.html")
    fold = reader.page.locator("details.abs").first
    assert fold.count() == 1
    assert fold.evaluate("element => element.open") is False
    opening = fold.locator("summary").inner_text()
    # When the reader unfolds it, with no script on the page
    assert reader.page.locator("script").count() == 0
    fold.locator("summary").click()
    # Then it opens in place and shows the whole abstract, its opening once
    assert fold.evaluate("element => element.open") is True
    whole = fold.locator("p").inner_text()
    assert len(whole) > len(opening)
    assert fold.locator(".opening").is_hidden()
    assert fold.locator(".fold").is_visible()
    assert reader.errors == []
    assert reader.outside == []


def test_math_in_a_folded_abstract_is_typeset_by_the_browser_itself(browser: Any, tmp_path: Path) -> None:
    # Given a published day whose abstract ends with math, as the NVAE paper's does (256$\times$256)
    day = _evil_day()
    entry = day["papers"][0]
    entry["paper"]["title"] = r"NVAE with $\mathcal{O}(n^2)$ layers"
    entry["paper"]["abstract"] = (
        "We propose a deep hierarchical model. " * 12 + r"Images as large as 256$\times$256 pixels."
    )
    entry["posts"] = entry["posts"][:2]
    website.publish_day(day, website.SiteOptions(sources=("x",)), LocalStore(tmp_path))
    server, site = _serve(tmp_path)
    try:
        reader = Reader(browser, site, width=390)
        reader.open(f"{site}/digests/2026-06-02.html")
        fold = reader.page.locator("#paper-1 details.abs")
        # When the reader unfolds the abstract
        fold.locator("summary").click()
        # Then the math at its end is MathML laid out by the browser: the times sign sits between
        # the numbers, on one line, and the title's math is typeset too
        times = fold.locator("p math").last
        assert times.is_visible()
        box = times.bounding_box()
        assert box is not None
        assert box["width"] > 4
        assert box["height"] > 4
        assert "256×256" in fold.locator("p").inner_text().replace("\n", "")
        title_math = reader.page.locator("#paper-1 h2 math msup")
        assert title_math.count() == 1
        assert title_math.evaluate("element => getComputedStyle(element).display").endswith("math")
        # (the exponent is raised above its base: MathML layout, not text in a row)
        base, exponent = (title_math.locator(name).bounding_box() for name in ("mi", "mn"))
        assert base is not None
        assert exponent is not None
        assert exponent["y"] < base["y"]
        assert reader.errors == []
        assert reader.outside == []
    finally:
        server.shutdown()
        server.server_close()


PHONE = 390
NARROWEST_CELL = 300  # px: every cell of a ranked table as wide as a phone's card, never a squeezed column


@pytest.mark.parametrize("path", ["categories/cs.CV.html", "top/2026-W23.html", "top/2026-06.html"])
def test_a_ranked_table_reads_as_cards_on_a_phone(browser: Any, demo_site: tuple[str, Path], path: str) -> None:
    site, _ = demo_site
    # Given a reader on a ranked page, on a phone 390 px wide
    reader = Reader(browser, site, width=PHONE)
    reader.open(f"{site}/{path}")
    cells = reader.page.locator("table.ranked tbody td")
    assert cells.count() >= 3
    # Then every row is a card whose every cell (score, title and authors, day) is at least 300 px wide
    widths = cells.evaluate_all("cells => cells.map(cell => cell.getBoundingClientRect().width)")
    assert min(widths) >= NARROWEST_CELL, (path, min(widths))
    first = reader.page.locator("table.ranked tbody tr").first.inner_text()
    assert "score" in first
    assert "Listed on" in first
    # And nothing scrolls sideways
    assert reader.page.evaluate("document.documentElement.scrollWidth") <= PHONE
    if path == "top/2026-06.html":
        reader.page.screenshot(path=str(ROOT / "docs" / "screenshot-phone.png"))
    # And on a wide screen it is a table again, with the column names shown
    reader.page.set_viewport_size({"width": 1280, "height": 1000})
    assert reader.page.locator("table.ranked thead th").first.is_visible()
    assert reader.page.locator("table.ranked .card-label").first.is_hidden()


def test_archive_day_and_category_links_resolve(browser: Any, demo_site: tuple[str, Path]) -> None:
    site, _ = demo_site
    reader = Reader(browser, site)
    found: set[str] = set()
    for path in ("index.html", "digests/2026-06-03.html"):
        reader.open(f"{site}/{path}")
        found |= set(reader.page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"))
    local = sorted(link.split("#")[0] for link in found if link.startswith(site))
    assert reader.page.locator('a[rel="prev"]').count() == 1
    assert reader.page.locator('a[rel="next"]').count() == 1
    assert any("/categories/" in link for link in local)
    assert any("/top/" in link for link in local)
    for link in local:
        assert reader.page.request.get(link).status == 200, link


@pytest.mark.parametrize("width", [1280, 390])
def test_the_demo_banner_is_the_first_thing_on_every_page_type(
    browser: Any, demo_site: tuple[str, Path], width: int
) -> None:
    site, folder = demo_site
    reader = Reader(browser, site, width=width)
    pages = (
        "index.html",
        "about.html",
        "digests/2026-06-02.html",
        paper_page(folder),
        "categories/cs.LG.html",
        "top/2026-W23.html",
        "top/2026-06.html",
        "digests/2026-06-03.html",
    )
    for path in pages:
        # Given a newcomer opening any page of the demo site
        reader.open(f"{site}/{path}")
        # Then the banner is visible, whole, above the page's own content and within the screen
        banner = reader.page.locator(".site-notice p.notice").first
        assert banner.is_visible(), path
        said = banner.inner_text()
        assert "Real: arXiv's announcement of June 2, 2026" in said, path
        assert "Illustrative: the posts, their fictional accounts and all attention figures" in said, path
        box, main = banner.bounding_box(), reader.page.locator("main").bounding_box()
        assert box["y"] + box["height"] <= main["y"] + 1, path
        assert 0 <= box["x"] < box["x"] + box["width"] <= width, path
        # And a re-dated day says so under it; the real day does not
        redated = reader.page.get_by_text("Re-dated: real papers of arXiv's announcement")
        assert redated.count() == (1 if path == "digests/2026-06-03.html" else 0), path
    assert reader.errors == []


def test_every_card_opens_its_papers_page_and_all_posts_opens_it_at_every_post(
    browser: Any, demo_site: tuple[str, Path]
) -> None:
    site, _ = demo_site
    reader = Reader(browser, site)
    # Given a reader on a digest whose busy papers link their every post
    reader.open(f"{site}/digests/2026-06-02.html")
    titles = reader.page.eval_on_selector_all("li.paper h2 a", "links => links.map(a => a.href)")
    links = reader.page.eval_on_selector_all(".more-posts a", "links => links.map(a => [a.href, a.textContent])")
    assert links
    # Then every card's title leads to its paper's page
    assert all(title.startswith(f"{site}/papers/") for title in titles)
    assert all(reader.page.request.get(title).status == 200 for title in titles)
    for href, text in links:
        # When the reader follows a card's "All N posts"
        reader.open(href)
        # Then the paper's page opens at its posts, and shows all N
        assert reader.page.locator("h2#posts:target").count() == 1, href
        assert text == f"All {reader.page.locator('.posts > li').count()} posts", href
        # And it links back to the paper's card on its day
        back = reader.page.locator("nav.daynav a").get_attribute("href")
        assert back is not None
        assert back.startswith("../digests/2026-06-02.html#paper-"), href
    assert reader.errors == []


def test_a_papers_page_draws_its_attention_and_reads_its_points_as_a_table(
    browser: Any, demo_site: tuple[str, Path]
) -> None:
    site, folder = demo_site
    reader = Reader(browser, site)
    # Given the page of the demo's first paper, on a phone
    reader.page.set_viewport_size({"width": 390, "height": 900})
    reader.open(f"{site}/{paper_page(folder)}")
    # Then its chart is drawn, within the screen, with an accessible name
    chart = reader.page.locator("svg.chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert reader.page.get_by_role("img", name=re.compile("Score over time")).count() == 1
    # And the table beside it holds one row per point drawn
    points = chart.locator("circle").count()
    assert points >= 1
    assert reader.page.locator("table.history tbody tr").count() == points
    # And its whole abstract shows, math typeset by the browser itself from MathML
    assert reader.page.locator("p.abs").is_visible()
    assert reader.errors == []
    assert reader.outside == []


def test_injections_through_every_upstream_field_stay_text(browser: Any, evil_site: str) -> None:
    reader = Reader(browser, evil_site)
    pages = ("digests/2026-06-02.html", "papers/2606.00001.html", "index.html", "categories/cs.LG.html")
    for path in (*pages, "top/2026-06.html", MARKDOWN_PAGE):
        # Given pages built from a day whose every upstream field is an injection attempt (with
        # embeds on or off), and its Markdown digest as a blog renders it
        reader.open(f"{evil_site}/{path}")
        # When the reader opens everything that folds
        for summary in reader.page.locator("summary").all():
            summary.click()
        # Then nothing ran, no foreign element exists, and no link has a script scheme
        assert reader.page.evaluate("window.__pwned") is None, path
        # (the one SVG allowed is a paper page's own chart of its attention)
        assert reader.page.locator("main img, main svg:not(.chart), main iframe").count() == 0, path
        scripts = reader.page.eval_on_selector_all("main script", "found => found.map(script => script.src)")
        assert set(scripts) <= set(EMBED_SCRIPTS), path
        hrefs = reader.page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
        assert not [href for href in hrefs if not href.startswith(("http://", "https://"))], path
        # And the attempts read as the text they are
        if path.startswith(("digests/", "papers/")):
            assert XSS[0] in reader.page.locator("main").inner_text(), path
    # And nothing but the official embeds' scripts was asked of another host
    assert set(reader.outside) <= set(EMBED_SCRIPTS)


def test_screenshots_of_the_demo_site(browser: Any, demo_site: tuple[str, Path]) -> None:
    site, folder = demo_site
    for scheme, name in (("light", "screenshot.png"), ("dark", "screenshot-dark.png")):
        reader = Reader(browser, site, scheme)
        reader.open(f"{site}/digests/2026-06-02.html")
        reader.page.set_viewport_size({"width": 1200, "height": 1300})
        reader.page.screenshot(path=str(ROOT / "docs" / name))
        assert (ROOT / "docs" / name).stat().st_size > 10_000
    # And a paper's page, from its title down to its chart
    reader = Reader(browser, site)
    reader.open(f"{site}/{paper_page(folder)}")
    reader.page.set_viewport_size({"width": 900, "height": 1300})
    reader.page.screenshot(path=str(ROOT / "docs" / "screenshot-paper.png"))
    assert (ROOT / "docs" / "screenshot-paper.png").stat().st_size > 10_000


def _first_listed(site_folder: Path) -> dict[str, Any]:
    day = json.loads((site_folder / "digests/2026-06-03.json").read_text(encoding="utf-8"))
    return dict(day["papers"][0]["paper"]) | {"score": day["papers"][0]["score"], "day": day["date"]}


@pytest.mark.parametrize("by", ["title word", "arXiv id"])
def test_the_search_box_finds_a_listed_paper_of_any_day_with_nothing_off_loopback(
    browser: Any, demo_site: tuple[str, Path], axe_source: str, by: str
) -> None:
    site, folder = demo_site
    paper = _first_listed(folder)
    word = max(paper["title"].replace("$", " ").split(), key=len).strip(",.:;()")
    query = word if by == "title word" else paper["id"]
    # Given a reader on a digest of another day, whose page loads no search code
    reader = Reader(browser, site)
    reader.open(f"{site}/digests/2026-06-02.html")
    assert reader.page.locator("script").count() == 0
    # When the reader types a word of a listed title, or its arXiv id, in the header's search box
    box = reader.page.get_by_role("search").get_by_label("Search every day")
    box.fill(query)
    box.press("Enter")
    reader.page.wait_for_url("**/search.html?q=*")
    results = reader.page.locator("#search-results > li")
    results.first.wait_for()
    # Then the paper is among the results, with its score, its day and a link to its page
    found = results.filter(has_text=paper["title"].split("$")[0].strip()).first
    assert found.count() == 1, query
    assert found.locator("a").first.get_attribute("href") == layout.paper_page(paper["id"])
    said = found.inner_text()
    assert f"Score {paper['score']}" in said
    assert "listed on June 3, 2026" in said
    assert reader.page.get_by_role("status").inner_text().startswith(("1 paper", *map(str, range(2, 10))))
    if by == "title word":
        reader.page.screenshot(path=str(ROOT / "docs" / "screenshot-search.png"))
    # And nothing left loopback, nothing went wrong, and axe finds no serious violation
    assert reader.outside == []
    assert reader.errors == []
    reader.page.add_script_tag(content=axe_source)
    violations = reader.page.evaluate("axe.run(document).then(result => result.violations)")
    assert [(v["id"], v["nodes"][0]["target"]) for v in violations if v["impact"] in ("serious", "critical")] == []
