"""Each handler's cold start loads its own step's code, not the other steps' libraries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The libraries a step never uses: feedparser parses arXiv's pages (fetch, score), jinja2
# renders the site (render).
NOT_LOADED = {"fetch": ["jinja2"], "score": ["jinja2"], "render": ["feedparser"]}


@pytest.mark.parametrize("handler", sorted(NOT_LOADED))
def test_a_handler_imports_only_what_its_step_uses(handler: str) -> None:
    # Given a fresh interpreter with Lambda's variables, as a cold start has it
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "layers" / "common"), str(ROOT / "functions" / handler)]),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test-not-a-key",
        "AWS_SECRET_ACCESS_KEY": "test-not-a-secret",
        "POWERTOOLS_SERVICE_NAME": "hotpapers",
        "POWERTOOLS_METRICS_NAMESPACE": "HotPapers",
        "HOTPAPERS_DATA_STORE": "s3://cold-start-data",
        "HOTPAPERS_SITE_STORE": "s3://cold-start-site",
        "HOTPAPERS_SOURCES": "x,huggingface",
    }
    # When its handler module is imported
    code = "import sys, app; print(' '.join(sorted(name for name in sys.modules if '.' not in name)))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    loaded = done.stdout.split()
    # Then the libraries its step never uses are not loaded
    assert "hotpapers" in loaded
    assert [name for name in NOT_LOADED[handler] if name in loaded] == []
