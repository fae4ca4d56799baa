"""Each handler's cold start loads its own step's code, not the other steps' libraries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The libraries a step never uses: feedparser parses arXiv's pages (fetch, score), jinja2
# and latex2mathml render the site (render), Powertools' parser and its event models read the S3 events that
# start score and render. Render asks no upstream: it needs the catalogue of sources, not their
# API clients, nor requests and the HTTP code built on it, nor the scoring and arXiv parser, nor
# Pagefind, which only the index step runs (the render writes the day's records as JSON).
NOT_LOADED = {
    "fetch": ["jinja2", "latex2mathml", "aws_lambda_powertools.utilities.parser", "pagefind"],
    "score": ["jinja2", "latex2mathml", "pagefind"],
    "render": [
        "pagefind",
        "feedparser",
        "requests",
        "hotpapers.upstream",
        "hotpapers.credentials",
        "hotpapers.sources",
        "hotpapers.scoring",
        "hotpapers.arxiv",
    ],
}
# What X-Ray traces in each function: S3 through botocore everywhere, the upstreams' HTTP calls
# in fetch.
PATCHED = {"fetch": ["botocore", "requests"], "score": ["botocore"], "render": ["botocore"]}


def cold_start(handler: str, code: str) -> str:
    """``code``'s output, run in a fresh interpreter that has just imported ``handler``'s module
    with Lambda's variables, as a cold start has it (Tracer patches only inside Lambda)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "layers" / "common"), str(ROOT / "functions" / handler)]),
        "LAMBDA_TASK_ROOT": str(ROOT / "functions" / handler),
        "AWS_LAMBDA_FUNCTION_NAME": f"cold-start-{handler}",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test-not-a-key",
        "AWS_SECRET_ACCESS_KEY": "test-not-a-secret",
        "POWERTOOLS_SERVICE_NAME": "hotpapers",
        "POWERTOOLS_METRICS_NAMESPACE": "HotPapers",
        "HOTPAPERS_DATA_STORE": "s3://cold-start-data",
        "HOTPAPERS_SITE_STORE": "s3://cold-start-site",
        "HOTPAPERS_SOURCES": "x,huggingface",
    }
    done = subprocess.run([sys.executable, "-c", f"import app\n{code}"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("handler", sorted(NOT_LOADED))
def test_a_handler_imports_only_what_its_step_uses(handler: str) -> None:
    # Given a fresh interpreter / When its handler module is imported
    loaded = cold_start(handler, "import sys; print(' '.join(sorted(sys.modules)))").split()

    # Then the libraries its step never uses are not loaded
    assert "hotpapers" in loaded
    assert [name for name in NOT_LOADED[handler] if name in loaded] == []


def test_the_render_handler_loads_no_api_client() -> None:
    # Given a fresh interpreter / When the render handler is imported
    loaded = cold_start("render", "import sys; print(' '.join(sorted(sys.modules)))").split()

    # Then it knows the sources from the catalogue alone: no client module came with it
    assert "hotpapers.catalogue" in loaded
    assert [name for name in loaded if name.startswith("hotpapers.sources")] == []


@pytest.mark.parametrize("handler", sorted(PATCHED))
def test_a_handler_traces_only_the_libraries_its_step_calls(handler: str) -> None:
    # Given a fresh interpreter / When its handler module is imported
    patched = cold_start(handler, "from aws_xray_sdk.core import patcher; print(' '.join(patcher._PATCHED_MODULES))")

    # Then X-Ray patched only what the step calls: patching loads the library, and costs the
    # cold start
    assert sorted(patched.split()) == PATCHED[handler]
