"""The performance measures, each the median of several runs, each a ratio to a floor or a peer.

Whatever weighs memory or a cold start runs in a fresh interpreter (``python -m bench.measures
<step> <arguments.json> <answer.json>``), so its peak and its imports are its own.
"""

from __future__ import annotations

import cProfile
import hashlib
import io
import json
import os
import posixpath
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from hotpapers import layout

from bench import bigday

ROOT = bigday.ROOT
HANDLERS = ("fetch", "score", "render", "index")
SITE_URL = "https://hotpapers.example"
# The API latency the fetch measure assumes (as the independent measurement did), and arXiv's politeness delay.
LATENCY = 0.2
ARXIV_DELAY = 3.0
P3_PAGES = 3


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def settings_env(data: Path, site: Path) -> dict[str, str]:
    """The settings every pipeline step of the bench runs with: all sources, the day's clock."""
    return {
        "HOTPAPERS_DATA_STORE": str(data),
        "HOTPAPERS_SITE_STORE": str(site),
        "HOTPAPERS_SOURCES": ",".join(bigday.SOURCES),
        "HOTPAPERS_NOW": bigday.NOW.isoformat(),
        "HOTPAPERS_SITE_URL": SITE_URL,
    }


def _peak_mb() -> float:
    """This process's peak resident memory: what Lambda reports as "Max Memory Used".

    Linux's ``ru_maxrss`` carries the parent's peak across ``fork`` and ``exec``, so the peak of
    this very address space (``VmHWM``) is read where there is one.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    # Elsewhere ru_maxrss is the best there is: bytes on macOS, KiB on other systems.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)


def clocks() -> tuple[float, float]:
    """(CPU seconds, wall seconds) so far. Ratios are taken in CPU time: on a shared machine the
    other processes lengthen the wall-clock time of a step, not the CPU time it needs."""
    return time.process_time(), time.perf_counter()


# ---------------------------------------------------------------- fresh-interpreter steps


def _step(name: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Run one step in this (fresh) interpreter; its answer is JSON."""
    from hotpapers.config import load_settings
    from hotpapers.pipeline.render import render_day
    from hotpapers.pipeline.score import score_day
    from hotpapers.store import LocalStore

    if name == "fetch":
        return _fetch_once(float(arguments["delay"]))
    if name == "growth":
        from bench import growth

        return growth.render_once(arguments)
    data, site = Path(arguments["data"]), Path(arguments["site"])
    settings = load_settings({**os.environ, **settings_env(data, site)})
    store = LocalStore(data)
    work: Callable[[], object]
    if name == "score":
        work = lambda: score_day(arguments["manifest_key"], settings, store)  # noqa: E731
    elif name == "render":
        work = lambda: render_day(arguments["scored_key"], settings, store, LocalStore(site))  # noqa: E731
    elif name == "json":
        work = lambda: _load_and_dump(store, arguments["manifest_key"])  # noqa: E731
    elif name == "profile":
        return {"profile": _profile(arguments, settings, store, LocalStore(site))}
    else:
        raise ValueError(f"unknown step {name!r}")
    before = _peak_mb()
    cpu, wall = clocks()
    answer = work()
    cpu_after, wall_after = clocks()
    measured = {
        "seconds": cpu_after - cpu,
        "wall_s": wall_after - wall,
        "peak_mb": _peak_mb(),
        "peak_before_mb": before,
    }
    if name == "render":
        measured["site"] = site_writes(cast(dict[str, Any], answer)["keys"], site)
    return measured


def site_writes(keys: list[str], site: Path) -> dict[str, int]:
    """What a render wrote, as the bill counts it: its objects but the hashed assets (written once
    for a deployment), and the bytes of the day's own files (its digest, summary and papers'
    pages), which stay published."""
    day = (
        layout.digest_stem(bigday.DIGEST_DATE),
        layout.summary_key(bigday.DIGEST_DATE)[: -len(".json")],
        layout.PAPERS,
    )
    return {
        "objects": sum(1 for key in keys if not key.startswith(layout.ASSETS)),
        "day_bytes": sum((site / key).stat().st_size for key in keys if key.startswith(day)),
    }


def _load_and_dump(store: Any, manifest_key: str) -> None:
    """The floor of p1: every attention-source document of the snapshot read from the store as the
    score step reads it (unpacked), loaded with ``json.loads`` and written back with ``json.dumps``."""
    from hotpapers import snapshot

    for documents in snapshot.read(store, manifest_key).sources.values():
        for body in documents.values():
            json.dumps(json.loads(body))


def _profile(arguments: Mapping[str, Any], settings: Any, data: Any, site: Any) -> dict[str, list[dict[str, Any]]]:
    """Where score and render spend their time: the functions with the most time of their own,
    and the project's functions with the most time under them."""
    from hotpapers.pipeline.render import render_day
    from hotpapers.pipeline.score import score_day

    profiler = cProfile.Profile()
    profiler.enable()
    scored = score_day(arguments["manifest_key"], settings, data)
    render_day(scored["key"], settings, data, site)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = sum(entry[2] for entry in stats.stats.values())  # type: ignore[attr-defined]
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = Path(filename)
        shown = str(where.relative_to(ROOT)) if where.is_relative_to(ROOT) else "/".join(where.parts[-2:])
        rows.append(
            {
                "function": f"{shown}:{line}({function})",
                "calls": calls,
                "own_s": round(own, 3),
                "cumulative_s": round(cumulative, 3),
                "own_share": round(own / total, 3) if total else 0.0,
                "cumulative_share": round(cumulative / total, 3) if total else 0.0,
            }
        )
    project = [row for row in rows if row["function"].startswith("layers/common/hotpapers/")]
    return {
        "own": sorted(rows, key=lambda row: -row["own_s"])[:20],
        "project": sorted(project, key=lambda row: -row["cumulative_s"])[:15],
    }


def in_fresh_interpreter(name: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The answer of ``_step(name, arguments)`` run by a new Python process."""
    with tempfile.TemporaryDirectory() as folder:
        given, answer = Path(folder) / "arguments.json", Path(folder) / "answer.json"
        given.write_text(json.dumps(arguments))
        env = {**os.environ, "POWERTOOLS_LOG_LEVEL": "ERROR", "PYTHONPATH": f"{ROOT}:{ROOT / 'layers' / 'common'}"}
        subprocess.run(  # noqa: S603 - this very interpreter, on our own module
            [sys.executable, "-m", "bench.measures", name, str(given), str(answer)], check=True, env=env, cwd=ROOT
        )
        return dict(json.loads(answer.read_text()))


# ---------------------------------------------------------------- p1: score + render vs JSON


def p1(day: bigday.BigDay, data: Path, work: Path, repeats: int) -> dict[str, Any]:
    """Score + render of the day ÷ a JSON load + dump of the same raw posts, and their peak memory."""
    runs: dict[str, list[dict[str, Any]]] = {"score": [], "render": [], "json": []}
    for attempt in range(repeats):
        site = work / f"site-{attempt}"
        common = {"data": str(data), "site": str(site)}
        runs["score"].append(in_fresh_interpreter("score", {**common, "manifest_key": day.manifest_key}))
        scored_key = layout.scored_key(bigday.DIGEST_DATE)
        runs["render"].append(in_fresh_interpreter("render", {**common, "scored_key": scored_key}))
        runs["json"].append(in_fresh_interpreter("json", {**common, "manifest_key": day.manifest_key}))
    seconds = {step: median([run["seconds"] for run in steps]) for step, steps in runs.items()}
    wall = {step: median([run["wall_s"] for run in steps]) for step, steps in runs.items()}
    peaks = {step: max(run["peak_mb"] for run in runs[step]) for step in ("score", "render")}
    return {
        "p1_ratio": (seconds["score"] + seconds["render"]) / seconds["json"],
        "p1_peak_mb": max(peaks.values()),
        "p1_score_s": seconds["score"],
        "p1_render_s": seconds["render"],
        "p1_json_s": seconds["json"],
        "p1_score_peak_mb": peaks["score"],
        "p1_render_peak_mb": peaks["render"],
        "p1_interpreter_mb": median([run["peak_before_mb"] for run in runs["score"]]),
        "p1_ratio_wall": (wall["score"] + wall["render"]) / wall["json"],
        "p1_wall_s": wall,
        "p1_us_per_post": (seconds["score"] + seconds["render"]) / sum(day.posts.values()) * 1e6,
        "p1_site_writes": runs["render"][0]["site"]["objects"],
        "p1_site_day_bytes": runs["render"][0]["site"]["day_bytes"],
    }


def typical(day: bigday.BigDay, data: Path, work: Path, repeats: int) -> dict[str, Any]:
    """The typical day's score and render (``p1``'s measures of it), for the bill: their CPU
    seconds and peaks, the render's writes, and how many papers it lists."""
    from hotpapers.store import LocalStore

    figures = p1(day, data, work, repeats)
    scored = json.loads(LocalStore(data).get(layout.scored_key(bigday.DIGEST_DATE)))
    return {
        "p6_typical": {
            **{key.removeprefix("p1_"): figures[key] for key in figures if not key.startswith("p1_ratio")},
            "papers": day.papers,
            "posts": sum(day.posts.values()),
            "listed": len(scored["papers"]),
            "raw_mb": sum(day.raw_objects) / 2**20,
        }
    }


def profile(day: bigday.BigDay, data: Path, work: Path) -> dict[str, list[dict[str, Any]]]:
    arguments = {"data": str(data), "site": str(work / "site-profile"), "manifest_key": day.manifest_key}
    return dict(in_fresh_interpreter("profile", arguments)["profile"])


# ---------------------------------------------------------------- p2: parsing the arXiv pages


def etree_parse(body: bytes) -> list[dict[str, Any]]:
    """The fields the digest keeps of each entry, read with the standard library's ``iterparse``."""
    atom, arxiv = "{http://www.w3.org/2005/Atom}", "{http://arxiv.org/schemas/atom}"
    entries: list[dict[str, Any]] = []
    for _, element in ET.iterparse(io.BytesIO(body)):
        if element.tag != f"{atom}entry":
            continue
        entries.append(
            {
                "id": element.findtext(f"{atom}id"),
                "title": element.findtext(f"{atom}title"),
                "summary": element.findtext(f"{atom}summary"),
                "published": element.findtext(f"{atom}published"),
                "updated": element.findtext(f"{atom}updated"),
                "authors": [author.findtext(f"{atom}name") for author in element.iter(f"{atom}author")],
                "categories": [category.get("term") for category in element.iter(f"{atom}category")],
                "comment": element.findtext(f"{arxiv}comment"),
                "journal_ref": element.findtext(f"{arxiv}journal_ref"),
                "doi": element.findtext(f"{arxiv}doi"),
            }
        )
        element.clear()
    return entries


def arxiv_client_parse() -> tuple[Callable[[bytes], Any] | None, str]:
    """The ``arxiv`` PyPI client's own parser of an API answer, and its version (or why not)."""
    try:
        from importlib.metadata import version

        from arxiv import _feed
    except ImportError as exc:
        return None, f"not installed ({exc})"
    # The client fetches and parses in one call; its parser of the answer's bytes is this one.
    return _feed.parse, version("arxiv")


def p2(bodies: list[bytes], repeats: int) -> dict[str, Any]:
    """The project's parse of the arXiv pages ÷ ``iterparse``, and ÷ the ``arxiv`` client's parse."""
    from hotpapers import arxiv

    client, client_version = arxiv_client_parse()
    parsers: dict[str, Callable[[bytes], Any]] = {
        "project": lambda body: arxiv.parse_feed(body).papers,
        "etree": etree_parse,
    }
    if client is not None:
        parsers["client"] = client
    times: dict[str, list[float]] = {name: [] for name in parsers}
    for _ in range(repeats):
        for name, parse in parsers.items():
            started = time.process_time()
            for body in bodies:
                parse(body)
            times[name].append(time.process_time() - started)
    seconds = {name: median(values) for name, values in times.items()}
    return {
        "p2_vs_etree": seconds["project"] / seconds["etree"],
        "p2_vs_arxiv_client": seconds["project"] / seconds["client"] if client is not None else None,
        "p2_project_s": seconds["project"],
        "p2_etree_s": seconds["etree"],
        "p2_arxiv_client_s": seconds.get("client"),
        "p2_arxiv_client": client_version,
        "p2_entries": sum(body.count(b"<entry") for body in bodies),
    }


# ---------------------------------------------------------------- p3: a 3-page arXiv fetch


def p3(delay: float, repeats: int) -> dict[str, Any]:
    """The fetch step on a 3-page arXiv day behind ``LATENCY`` ÷ its politeness floor.

    The floor is the waits alone: ``delay`` between each two of the pages. The fetch is the
    whole step (arXiv, and Hugging Face answering nothing at once), paging, parsing and sealing
    included; the paging part runs from the first request to the last page's answer, read off
    the server. Each run is a fresh interpreter, as a Lambda's is: the bench's own heap (the big
    day it built) would otherwise slow every collection of the step's garbage collector.
    """
    runs = [in_fresh_interpreter("fetch", {"delay": delay}) for _ in range(repeats)]
    floor = (P3_PAGES - 1) * delay
    return {
        "p3_ratio": median([run["total"] for run in runs]) / floor,
        "p3_paging_ratio": median([run["paging"] for run in runs]) / floor,
        "p3_fetch_s": median([run["total"] for run in runs]),
        "p3_floor_s": floor,
        "p3_delay_s": delay,
        "p3_latency_s": LATENCY,
        "p3_papers": (P3_PAGES - 1) * bigday.PAGE_SIZE + bigday.PAGE_SIZE // 2,
    }


def _fetch_once(delay: float) -> dict[str, float]:
    """One fetch of p3's day, served by a loopback ``ReplayServer``: its wall-clock seconds in
    all and up to the last page's answer."""
    from hotpapers import arxiv
    from hotpapers.config import load_settings
    from hotpapers.offline.replay import ReplayServer, Reply
    from hotpapers.pipeline.fetch import fetch_day
    from hotpapers.store import LocalStore

    pages = bigday.arxiv_pages((P3_PAGES - 1) * bigday.PAGE_SIZE + bigday.PAGE_SIZE // 2)
    with ReplayServer() as server, tempfile.TemporaryDirectory() as folder:
        for index, body in enumerate(pages):
            reply = Reply(200, body, {"Content-Type": "application/atom+xml"}, delay=LATENCY)
            server.add(arxiv.API_PATH, reply, query={"start": str(index * bigday.PAGE_SIZE)})
        # One attention source that answers at once with nothing: the step refuses a day no
        # source could count posts for, and the figure is about arXiv's paging.
        server.add("/api/daily_papers", Reply(200, b"[]", {"Content-Type": "application/json"}))
        env = {
            **settings_env(Path(folder), Path(folder) / "site"),
            "HOTPAPERS_SOURCES": "huggingface",
            "HOTPAPERS_HF_API_URL": server.url + "/api",
            "HOTPAPERS_ARXIV_API_URL": server.url + arxiv.API_PATH,
            "HOTPAPERS_ARXIV_DELAY": str(delay),
        }
        settings = load_settings(env)
        started = time.monotonic()
        fetch_day(bigday.DIGEST_DATE, settings, LocalStore(folder))
        total = time.monotonic() - started
        asked = server.requests_to(arxiv.API_PATH)
    return {"total": total, "paging": asked[-1].at + LATENCY - started}


# ---------------------------------------------------------------- p4: cold imports


def layer_folder(cache: Path) -> Path:
    """The layer's requirements, installed alone (as ``sam build`` ships them), once per version."""
    requirements = ROOT / "layers" / "common" / "requirements.txt"
    folder = cache / f"layer-{hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]}"
    if not (folder / ".complete").exists():
        done = subprocess.run(  # noqa: S603 - pip of this interpreter, the project's own requirements
            [
                *(sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
                *("--no-warn-conflicts", "--target", str(folder), "--upgrade", "-r", str(requirements)),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"installing the layer's requirements failed:\n{done.stderr}")
        (folder / ".complete").touch()
    return folder


def _import_seconds(module: str, path: list[Path], lambda_root: Path, extra: Mapping[str, str]) -> float:
    """Seconds a fresh interpreter (no site-packages: only ``path``) takes to import ``module``."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join(str(folder) for folder in path),
        # What Lambda sets: Tracer patches only inside Lambda, boto3 clients need a region and keys.
        "LAMBDA_TASK_ROOT": str(lambda_root),
        "AWS_LAMBDA_FUNCTION_NAME": f"bench-{lambda_root.name}",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench-not-a-key",
        "AWS_SECRET_ACCESS_KEY": "bench-not-a-secret",
        "POWERTOOLS_SERVICE_NAME": "hotpapers",
        "POWERTOOLS_METRICS_NAMESPACE": "HotPapers",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "HOTPAPERS_DATA_STORE": "s3://bench-data",
        "HOTPAPERS_SITE_STORE": "s3://bench-site",
        "HOTPAPERS_SOURCES": "x,huggingface",
        **extra,
    }
    code = f"import time; t = time.process_time(); import {module}; print(time.process_time() - t)"
    done = subprocess.run(  # noqa: S603 - the base interpreter of this one
        [getattr(sys, "_base_executable", sys.executable), "-S", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def p4(cache: Path, repeats: int) -> dict[str, Any]:
    """Cold import of each handler ÷ ``import boto3``, with and without compiled bytecode."""
    layer = layer_folder(cache)
    common = ROOT / "layers" / "common"
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        # The layer's own package as Lambda has it when the build ships no .pyc: read-only, so
        # compiled again on every cold start; the dependencies keep the .pyc pip wrote.
        bare = Path(folder) / "bare"
        shutil.copytree(common / "hotpapers", bare / "hotpapers", ignore=shutil.ignore_patterns("__pycache__"))
        modes = {
            "": ([common], {}),
            "_no_pyc": ([common], {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(Path(folder) / "empty")}),
            "_hotpapers_no_pyc": ([bare], {"PYTHONDONTWRITEBYTECODE": "1"}),
        }
        for suffix, (package, extra) in modes.items():
            seconds: dict[str, float] = {}
            for name in ("boto3", *HANDLERS):
                module, root = ("boto3", ROOT) if name == "boto3" else ("app", ROOT / "functions" / name)
                path = [layer, *package, root]
                if "PYTHONDONTWRITEBYTECODE" not in extra:
                    _import_seconds(module, path, root, extra)  # the first writes the .pyc the others read
                seconds[name] = median([_import_seconds(module, path, root, extra) for _ in range(repeats)])
            ratios = {name: seconds[name] / seconds["boto3"] for name in HANDLERS}
            results[f"p4_ratio_max{suffix}"] = max(ratios.values())
            results[f"p4_ratios{suffix}"] = ratios
            results[f"p4_import_s{suffix}"] = seconds
    return results


# ---------------------------------------------------------------- p5: the page


class _ThirdParty(HTMLParser):
    """The ``<script>``, ``<iframe>`` and ``<img>`` a page loads from hosts other than its own."""

    def __init__(self, own_host: str) -> None:
        super().__init__()
        self.own_host = own_host
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("script", "iframe", "img"):
            return
        host = urlsplit(dict(attrs).get("src") or "").hostname
        if host and host != self.own_host:
            self.found.append((tag, host))


def third_party(page: str, site_url: str = SITE_URL) -> list[tuple[str, str]]:
    parser = _ThirdParty(urlsplit(site_url).hostname or "")
    parser.feed(page)
    return parser.found


def downloaded(files: Mapping[str, bytes], key: str) -> dict[str, int]:
    """Site key -> bytes a reader's browser downloads for the page ``key`` and what it loads (its
    stylesheets, scripts and images), each as the site's bucket stores it (``store.encoded``)."""
    from hotpapers.store import content_type_for, encoded

    folder = key.rsplit("/", 1)[0]
    loaded = {key: len(encoded(files[key], content_type_for(key))[0])}
    for ref in re.findall(rb'<(?:link rel="stylesheet"|script|img)[^>]*(?:href|src)="([^"#]+)"', files[key]):
        target = posixpath.normpath(posixpath.join(folder, ref.decode()))
        loaded[target] = len(encoded(files[target], content_type_for(target))[0])
    return loaded


def p5(data: Path, work: Path, papers: int = 25) -> dict[str, Any]:
    """The bytes a reader downloads for the digest of the day's top ``papers`` papers, with
    everything it loads, and what it loads from elsewhere."""
    from hotpapers.config import load_settings
    from hotpapers.pipeline.render import render_day
    from hotpapers.store import LocalStore

    scored_key = layout.scored_key(bigday.DIGEST_DATE)
    scored = json.loads(LocalStore(data).get(scored_key))
    scored["papers"] = scored["papers"][:papers]
    small, site = work / "p5-data", work / "p5-site"
    LocalStore(small).put(scored_key, json.dumps(scored).encode())
    render_day(scored_key, load_settings(settings_env(small, site)), LocalStore(small), LocalStore(site))
    key = layout.digest_page(bigday.DIGEST_DATE)
    files = {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}
    found = third_party(files[key].decode("utf-8"))
    loaded = downloaded(files, key)
    return {
        "p5_page_kb": sum(loaded.values()) / 1024,
        "p5_page_raw_kb": len(files[key]) / 1024,
        "p5_loaded": loaded,
        "p5_third_party": len(found),
        "p5_third_party_hosts": sorted({host for _, host in found}),
        "p5_papers": len(scored["papers"]),
    }


def _main(name: str, given: str, answer: str) -> None:
    arguments = json.loads(Path(given).read_text())
    Path(answer).write_text(json.dumps(_step(name, arguments)))


if __name__ == "__main__":
    _main(*sys.argv[1:4])
