"""p8: search over every day, on a synthetic archive of 1,500 digest days of 25 papers each.

Each day lists 25 of the real arXiv entries at hand (``bigday.real_entries``: titles, authors
and abstracts, cycled), under ids of their own. The index step's build (``search.build``) runs in a
fresh interpreter, whose peak memory includes Pagefind's binary; a second build with one more
day counts the files a day's index step writes (those whose content changed). Then headless
Chromium opens ``search.html?q=`` on the built index served on loopback, and every response is
counted as S3 would send it (text gzip-compressed, ``store.encoded``): what the search page's
first load brings (the page, its script, Pagefind's script, WebAssembly, entry and metadata),
and what the query itself downloads (the index chunks of its words and the shown results).
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from hotpapers import search

from bench import bigday

DAYS = 1500
QUICK_DAYS = 20
PAPERS = 25
FIRST_DAY = date(2020, 1, 6)
ATOM = "{http://www.w3.org/2005/Atom}"
QUERY_GOAL_KB = 150
# What the search page's first load brings; everything else it fetches is the query's.
FIRST_LOAD = re.compile(r"search\.html|assets/|pagefind/bundles\.json|pagefind/[^/]+/(pagefind|wasm\.)")


def _entries() -> list[tuple[str, list[str], str, list[str]]]:
    found = []
    for _, title, xml in bigday.real_entries():
        entry = ET.fromstring(xml)
        authors = [author.findtext(f"{ATOM}name", "") for author in entry.findall(f"{ATOM}author")]
        abstract = " ".join(entry.findtext(f"{ATOM}summary", "").split())
        categories = [category.get("term", "") for category in entry.findall(f"{ATOM}category")]
        found.append((title, authors, abstract, categories))
    return found


def archive(days: int) -> dict[str, list[dict[str, Any]]]:
    """``days`` weekdays of search records, oldest first, as the index step's cumulative document."""

    entries = _entries()
    cumulative: dict[str, list[dict[str, Any]]] = {}
    day, n = FIRST_DAY, 0
    while len(cumulative) < days:
        if day.weekday() < 5:
            records = []
            for rank in range(PAPERS):
                title, authors, abstract, categories = entries[n % len(entries)]
                paper_id = f"{day:%y%m}.{n % 100000:05d}"
                records.append(
                    {
                        "id": paper_id,
                        "title": title,
                        "authors": authors,
                        "abstract": abstract,
                        "categories": categories,
                        "score": 500 - rank * 15,
                        "day": day.isoformat(),
                        "url": search.paper_page(paper_id, day.isoformat()),
                    }
                )
                n += 1
            cumulative[day.isoformat()] = records
        day += timedelta(days=1)
    return cumulative


_BUILD = """
import gzip, json, resource, sys, time
from pathlib import Path
from hotpapers import search
cumulative = json.loads(gzip.decompress(Path(sys.argv[1]).read_bytes()))
started = time.perf_counter()
files = search.build(cumulative, sys.argv[3])
for key, body in files.items():
    path = Path(sys.argv[2]) / key.split("/", 2)[2]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
seconds = time.perf_counter() - started
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "files": len(files)}))
"""


def _build(days: dict[str, list[dict[str, Any]]], out: Path, bundle: str) -> dict[str, Any]:
    """Build ``days`` as the index bundle ``bundle`` into ``out``, in a fresh interpreter: its
    seconds, peak memory (Pagefind's binary included) and files."""
    records = out.with_name(f"{out.name}.json.gz")
    out.parent.mkdir(parents=True, exist_ok=True)
    records.write_bytes(gzip.compress(json.dumps(days).encode(), mtime=0))
    done = subprocess.run(  # noqa: S603 - this interpreter, on the bench's own files
        [sys.executable, "-c", _BUILD, str(records), str(out), bundle],
        capture_output=True,
        text=True,
        check=True,
        cwd=bigday.ROOT,
    )
    records.unlink()
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _changed(old: Path, new: Path) -> int:
    """The files of the bundle built in ``new`` that differ from the one in ``old`` (each one PUT)."""
    files = [path.relative_to(new) for path in new.rglob("*") if path.is_file() and "-ui." not in path.name]
    return sum(
        1 for name in files if not (old / name).is_file() or (old / name).read_bytes() != (new / name).read_bytes()
    )


def _query_bytes(site: Path, query: str) -> dict[str, int]:
    """Each file headless Chromium fetches for ``search.html?q=query``, at the size S3 sends it."""
    from hotpapers.store import content_type_for, encoded
    from hotpapers.website.archive import search_page
    from hotpapers.website.assets import assets
    from hotpapers.website.digest import chrome_for
    from playwright.sync_api import sync_playwright

    (site / "search.html").write_text(search_page(chrome_for()), encoding="utf-8")
    for key, body in assets().files.items():
        (site / key).parent.mkdir(parents=True, exist_ok=True)
        (site / key).write_bytes(body)
    asked: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Counting, asked, directory=str(site)))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            chromium = shutil.which("chromium") or shutil.which("chromium-browser")
            browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
            page = browser.new_page()
            page.goto(f"{base}search.html?q={query}")
            page.locator("#search-results > li").first.wait_for()
            page.wait_for_load_state("networkidle")
            # The server's own list: Pagefind fetches chunks from a worker, which the page's
            # performance entries leave out.
            for key in {path.lstrip("/").split("?")[0] for path in asked}:
                body = (site / key).read_bytes()
                fetched[key] = len(encoded(body, content_type_for(key))[0])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return fetched


class _Counting(SimpleHTTPRequestHandler):
    """Serves the site, noting each path asked for instead of logging it."""

    def __init__(self, asked: list[str], *args: Any, **kwargs: Any) -> None:
        self.asked = asked
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        self.asked.append(self.path)


_STEP = """
import gzip, json, resource, sys, time
from pathlib import Path
from hotpapers import layout, search
from hotpapers.models import json_bytes
from hotpapers.pipeline.index import index_day
from hotpapers.store import LocalStore

class Counting(LocalStore):
    puts = 0
    def put(self, key, body, content_type=None, cache_control=None):
        Counting.puts += 1
        super().put(key, body, content_type, cache_control)

before = json.loads(gzip.decompress(Path(sys.argv[1]).read_bytes()))
newest = json.loads(Path(sys.argv[2]).read_text())
data, site = LocalStore(sys.argv[3]), Counting(sys.argv[4])
# As the first index steps kept it: the step splits it into its bundles' documents.
data.put(layout.SEARCH_ALL_RECORDS, gzip.compress(json_bytes(before), mtime=0))
last = max(before)
data.put(layout.search_day(last), json_bytes({"date": last, "records": before[last]}))
started = time.perf_counter()
index_day(layout.search_day(last), data, site)
full = time.perf_counter() - started
data.put(layout.search_day(newest["date"]), json_bytes(newest))
Counting.puts = 0
started = time.perf_counter()
index_day(layout.search_day(newest["date"]), data, site)
daily = time.perf_counter() - started
peak = sum(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"full_s": full, "daily_s": daily, "daily_puts": Counting.puts, "peak_mb": peak / 1024}))
"""


def _index_steps(before: dict[str, list[dict[str, Any]]], newest: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The index step (``index_day``) in a fresh interpreter on local stores: once over the whole
    archive but its newest day (every bundle built), then for the newest day; its seconds, the
    site files the second writes, and the peak memory (the step's and Pagefind's, added up)."""
    records, day = folder / "before.json.gz", folder / "newest.json"
    records.write_bytes(gzip.compress(json.dumps(before).encode(), mtime=0))
    day.write_text(json.dumps(newest), encoding="utf-8")
    done = subprocess.run(  # noqa: S603 - this interpreter, on the bench's own files
        [sys.executable, "-c", _STEP, str(records), str(day), str(folder / "data"), str(folder / "site")],
        capture_output=True,
        text=True,
        check=True,
        cwd=bigday.ROOT,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def p8(work: Path, quick: bool) -> dict[str, Any]:
    """The index step's time, peak memory and writes (daily, and the monthly move), and the bytes of one query."""
    count = QUICK_DAYS if quick else DAYS
    cumulative = archive(count + 1)
    newest = max(cumulative)
    folder = Path(tempfile.mkdtemp(prefix="p8-", dir=work))
    index = folder / "site" / "pagefind"
    bundles = search.bundled(cumulative)
    before = {day: records for day, records in cumulative.items() if day != newest}
    steps = _index_steps(before, {"date": newest, "records": cumulative[newest]}, folder)
    # A month: the largest two-year bundle built again with the month that left the recent days.
    older = [name for name in bundles if name != search.RECENT]
    largest = max(older, key=lambda name: len(bundles[name]), default=None)
    monthly, month_built = 0, {"seconds": 0.0, "peak_mb": 0.0}
    if largest:
        month = max(bundles[largest])[:7]
        without = {day: records for day, records in bundles[largest].items() if not day.startswith(month)}
        month_built = _build(without, folder / "before" / largest, largest)
        monthly = _changed(folder / "before" / largest, index / largest)
    word = max(cumulative[newest][0]["title"].split(), key=len).strip(",.:;()$")
    fetched = _query_bytes(folder / "site", word)
    first_load = {key: size for key, size in fetched.items() if FIRST_LOAD.match(key)}
    query = {key: size for key, size in fetched.items() if key not in first_load}
    return {
        "p8_days": count,
        "p8_papers": count * PAPERS,
        "p8_bundles": list(bundles),
        "p8_build_s": steps["daily_s"],
        "p8_full_build_s": steps["full_s"],
        "p8_monthly_build_s": month_built["seconds"],
        "p8_build_peak_mb": steps["peak_mb"],
        "p8_index_files": sum(1 for path in index.rglob("*") if path.is_file()),
        # The two records documents (data store) are billed apart (``cost.INDEX_PUTS``).
        "p8_writes_per_day": steps["daily_puts"],
        "p8_writes_per_month": monthly,
        "p8_query": word,
        "p8_query_kb": sum(query.values()) / 1024,
        "p8_first_load_kb": sum(first_load.values()) / 1024,
        "p8_query_files": len(query),
    }
