"""A reader's view: the published site in headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from builders import atom_entry, tweet
from conftest import serve_seed_day
from hotpapers.local.replay import ReplayServer
from hotpapers.local.runner import run_chain
from seed_day import DATE, SeedDay

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = '<img src="x" onerror="window.__pwned = 1">'


@pytest.fixture
def chromium_path() -> str:
    if CHROMIUM is None:
        message = "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"
        if os.environ.get("HOTPAPERS_REQUIRE_ALL_TIERS"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
def site(tmp_path: Path, upstream_env: ReplayServer, seed_day: SeedDay) -> Iterator[str]:
    """The seed day published, plus a paper whose title is an injection attempt, served on loopback."""
    evil = atom_entry("2007.09999", f"Evil {XSS}", abstract=XSS)
    attack = tweet("1281000000000000001", "", "https://arxiv.org/abs/2007.09999", likes=60, text=f"Attack {XSS}")
    serve_seed_day(upstream_env, seed_day, extra_entries=(evil,), extra_tweets=(attack,))
    run_chain({"date": DATE}, tmp_path / "data", tmp_path / "site")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_reader_goes_from_the_index_to_the_digest(chromium_path: str, site: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        # Nothing leaves the machine: X's widget script and any other outside request is refused.
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site) else route.abort())
        # Given the front page
        page.goto(f"{site}/index.html")
        assert page.title() == "Hot Papers"
        # When the reader opens the day's digest
        page.click(f"text=Hot Papers {DATE}")
        page.wait_for_load_state()
        # Then the digest shows the seed's papers in the seed's order, the injected one last
        assert page.locator("h1").inner_text() == f"Hot Papers {DATE}"
        titles = page.locator("article.paper h2").all_inner_texts()
        assert titles[0] == "1. NVAE: A Deep Hierarchical Variational Autoencoder"
        assert len(titles) == 8
        assert page.locator("#paper-1 .counts").inner_text() == "retweets: 261, favorites: 1160"
        assert page.locator("#paper-1 blockquote.twitter-tweet").count() == 2
        assert page.locator("#paper-1 .links a").first.get_attribute("href") == "https://arxiv.org/abs/2007.03898"
        # And upstream markup was shown as text, never run
        assert titles[-1] == f"8. Evil {XSS}"
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#paper-8 img").count() == 0
        assert f"Attack {XSS}" in page.locator("#paper-8 blockquote").inner_text()
        page.screenshot(path=str(tmp_path / "digest.png"), full_page=True)
        browser.close()
