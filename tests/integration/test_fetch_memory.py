"""The fetch step's peak memory under the worst the fault matrix sends: a gzip bomb and an
oversized answer, from one source or from every attention source at once. Each fetch runs in a
child process of its own, whose peak resident memory the kernel reports when it ends
(``os.wait4``), against the Lambda function's memory in ``template.yaml``."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hotpapers.offline.wiring import load_template
from support.faults.catalogue import DAY, EVERY_SOURCE, FAULTS, NOW, ROOT, UPSTREAMS, Case, Upstream
from support.faults.runner import case_env
from support.faults.server import demo_day

pytestmark = pytest.mark.integration

# The fetch in the child, its summary (or the error that ended it) on stdout.
CHILD = """
import json, sys
from datetime import date
from hotpapers.config import load_settings
from hotpapers.pipeline.fetch import NoUsableSourceError, fetch_day
from hotpapers.store import LocalStore
try:
    result = fetch_day(date.fromisoformat(sys.argv[1]), load_settings(), LocalStore(sys.argv[2])).to_dict()
except NoUsableSourceError as exc:
    result = {"status": "no usable source", "failed_sources": exc.failures}
print(json.dumps(result))
"""
# A guard for the shared machine, not the bound under test: a fetch that unpacked a bomb whole
# fails here with MemoryError instead of taking gigabytes from everyone else.
ADDRESS_SPACE_GUARD = 3 * 2**30


def fetch_function_memory_mib() -> int:
    """The fetch function's MemorySize: its own, or the template's Globals'."""
    template = load_template(ROOT / "template.yaml")
    own = template["Resources"]["FetchFunction"]["Properties"].get("MemorySize")
    return int(own or template["Globals"]["Function"]["MemorySize"])


def _guard() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_GUARD, ADDRESS_SPACE_GUARD))


def measured_fetch(upstream: Upstream, fault_key: str, folder: Path) -> tuple[dict[str, object], int]:
    """The fetch of the demo day with ``upstream`` answering the fault on every request: its
    summary and the child's peak resident memory, in MiB."""
    fault = next(fault for fault in FAULTS if fault.key == fault_key)
    server, recording_env = demo_day(Case(upstream, fault, persistent=True, earlier=False))
    with server, (folder / "stdout").open("w") as out, (folder / "stderr").open("w") as err:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, DAY, str(folder / "data")],
            env=case_env(recording_env, NOW),
            stdout=out,
            stderr=err,
            preexec_fn=_guard,  # only setrlimit, before exec
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, (folder / "stderr").read_text()
    # The summary is the last line: the logs go to stdout too.
    summary = (folder / "stdout").read_text().splitlines()[-1]
    return json.loads(summary), usage.ru_maxrss // 1024  # Linux: KiB


HACKER_NEWS = next(upstream for upstream in UPSTREAMS if upstream.key == "hackernews")


@pytest.mark.parametrize("fault_key", ["gzip-bomb", "oversized"])
@pytest.mark.parametrize("upstream", [HACKER_NEWS, EVERY_SOURCE], ids=["hackernews", "every-source"])
def test_the_fetch_stays_within_the_functions_memory_whatever_an_upstream_sends(
    upstream: Upstream, fault_key: str, tmp_path: Path
) -> None:
    # Given the demo day with Hacker News, or every attention source at once, answering a gzip
    # bomb (1.5 GiB unpacked) or the right answer followed by 300 MiB
    # When the fetch step runs in a child process
    result, peak = measured_fetch(upstream, fault_key, tmp_path)

    # Then each such source failed for the day, and the day went on while it could
    failed = set(result["failed_sources"])  # type: ignore[call-overload]
    if upstream is HACKER_NEWS:
        assert (result["status"], failed) == ("sealed", {"hackernews"})
    else:
        assert result["status"] == "no usable source"
        assert failed == {"x", "hackernews", "bluesky", "reddit", "huggingface"}
    # And the fetch's peak memory stayed under the fetch function's memory
    print(f"{upstream.key} {fault_key}: peak {peak} MiB")
    assert peak < fetch_function_memory_mib(), f"peak {peak} MiB"
