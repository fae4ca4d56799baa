"""The built artifacts work: `sam build`, then each function run from the build in python3.13.

This is the Docker-free `sam local invoke`. `sam build` runs twice, side by side: the real
template (arm64, as deployed) and a copy for x86_64. arm64 wheels build fine on this x86_64
machine, but their compiled extensions (pydantic-core, ...) cannot be imported here without an
emulator, so the functions run from the x86_64 build: the same code, layer and dependency
versions, only the wheels' platform differs. The arm64 layer is also checked to ship a python3.13
.pyc for every module (layers/common/Makefile), as a read-only layer cannot cache its own.

Each function runs in its own python3.13 process with `-I -S` (no site-packages at all) and only
its build folder and its layer on the path (tests/support/lambda_bootstrap.py), invoked with the events/
samples, against moto server and the recorded upstreams on loopback.

python3.13 comes from PATH, HOTPAPERS_PYTHON313 or pyenv. Without it the tier is skipped,
unless HOTPAPERS_REQUIRE_ALL_TIERS=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from hotpapers.offline.replay import ReplayServer
from support.aws_support import (
    EVENTS,
    RECORDING,
    ROOT,
    TEMPLATE,
    Stack,
    aws_environment,
    deploy_wiring,
    expand,
    load_event,
    moto_server,
    objects,
    reset,
    tool,
)

pytestmark = pytest.mark.integration

BOOTSTRAP = Path(__file__).resolve().parents[1] / "support" / "lambda_bootstrap.py"
DAY = "2026-06-02"
DATA = load_event("score-raw-manifest.json")["detail"]["bucket"]["name"]
SITE = "hotpapers-site-example"


def find_python313() -> Path | None:
    """A working python3.13: HOTPAPERS_PYTHON313, then PATH, then pyenv's versions."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [os.environ.get("HOTPAPERS_PYTHON313"), shutil.which("python3.13")]
    candidates += [str(path) for path in sorted(pyenv.glob("versions/3.13*/bin/python3.13"))]
    for candidate in filter(None, candidates):
        try:
            probe = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 13))"],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except OSError:  # not there, or not a program
            continue
        if probe.stdout.strip() == "True":
            return Path(candidate).resolve()
    return None


@pytest.fixture(scope="module")
def python313() -> Path:
    found = find_python313()
    if found is None:
        message = "python3.13 not found (PATH, HOTPAPERS_PYTHON313 or pyenv): the built-artifact tier cannot run"
        if os.environ.get("HOTPAPERS_REQUIRE_ALL_TIERS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


def for_x86_64(template: str) -> str:
    """The template with every arm64 setting (functions, layer, layer build) made x86_64."""
    assert template.count("arm64") >= 3
    return template.replace("arm64", "x86_64")


@pytest.fixture(scope="module")
def builds(python313: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`sam build` of the template (arm64) and of its x86_64 copy, run side by side."""
    root = tmp_path_factory.mktemp("sam-build")
    x86_64 = root / "template-x86_64.yaml"
    x86_64.write_text(for_x86_64(TEMPLATE.read_text(encoding="utf-8")), encoding="utf-8")
    env = {
        **os.environ,
        "SAM_CLI_TELEMETRY": "0",
        "PATH": f"{python313.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    # The layer's Makefile picks the wheels' platform, arm64 unless told otherwise.
    platforms = {"arm64": {}, "x86_64": {"LAYER_PLATFORM": "manylinux2014_x86_64"}}
    jobs = {
        arch: subprocess.Popen(
            [tool("sam"), "build", "--template-file", template, "--build-dir", root / arch, "--base-dir", ROOT],
            env={**env, **platforms[arch]},
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for arch, template in (("arm64", TEMPLATE), ("x86_64", x86_64))
    }
    for arch, job in jobs.items():
        output, _ = job.communicate(timeout=900)
        assert job.returncode == 0, f"sam build ({arch}) failed:\n{output}"
    return {arch: root / arch for arch in jobs}


def test_the_template_builds_an_arm64_layer_holding_the_package(builds: dict[str, Path]) -> None:
    # Given the real template built / When the layer and the built template are read
    layer = builds["arm64"] / "CommonLayer" / "python"
    extensions = [path.name for path in layer.rglob("*.so")]
    built = (builds["arm64"] / "template.yaml").read_text(encoding="utf-8")

    # Then the package and its dependencies are there, compiled for arm64 only
    assert (layer / "hotpapers" / "pipeline" / "fetch.py").is_file()
    assert (layer / "hotpapers" / "templates").is_dir()
    for package in (
        "aws_lambda_powertools",
        "pydantic_core",
        "requests",
        "feedparser",
        "jinja2",
        "latex2mathml",
        "boto3",
        "tzdata",
        "pagefind",
        "pagefind_bin",
    ):
        assert (layer / package).is_dir(), f"{package} missing from the layer"
    # ... Pagefind's binary for arm64 (ELF machine 183, AArch64), which the index step runs
    binary = (layer / "pagefind_bin" / "pagefind").read_bytes()[:20]
    assert binary[:4] == b"\x7fELF"
    assert int.from_bytes(binary[18:20], "little") == 183
    assert extensions
    assert all("aarch64" in name for name in extensions), extensions
    assert "x86_64" not in built
    for function in ("FetchFunction", "ScoreFunction", "RenderFunction", "IndexFunction"):
        assert (builds["arm64"] / function / "app.py").is_file()


def pyc_flags(pyc: Path) -> int:
    """The flags word of a .pyc header (PEP 552): bit 0 hash-based, bit 1 check the source."""
    return int.from_bytes(pyc.read_bytes()[4:8], "little")


def test_the_built_layer_ships_unchecked_bytecode_for_python313_of_every_module(builds: dict[str, Path]) -> None:
    # Given the real template built / When each module of the layer is looked up in __pycache__
    layer = builds["arm64"] / "CommonLayer" / "python"
    modules = [path for path in layer.rglob("*.py") if "__pycache__" not in path.parts]
    compiled = {module: module.parent / "__pycache__" / f"{module.stem}.cpython-313.pyc" for module in modules}
    package = [module for module in modules if module.relative_to(layer).parts[0] == "hotpapers"]

    # Then every module, the hotpapers package's and its dependencies', has its python3.13 .pyc
    # (a read-only layer would compile the others at every cold start)
    assert len(package) > 40
    missing = sorted(str(module.relative_to(layer)) for module, pyc in compiled.items() if not pyc.is_file())
    assert missing == []
    # ... hash-based and never checked against the source: a zip's mtimes cannot make them stale
    assert {pyc_flags(pyc) for pyc in compiled.values()} == {0b01}
    # ... and no bytecode of another Python or the local checkout's is shipped
    assert [path.name for path in layer.rglob("*.pyc") if ".cpython-313." not in path.name] == []


def test_every_module_the_layer_ships_imports_with_only_the_layer(builds: dict[str, Path], python313: Path) -> None:
    # Given the x86_64 build's layer (the arm64 one holds the same modules, but its compiled
    # wheels cannot be imported on this machine)
    layer = builds["x86_64"] / "CommonLayer" / "python"
    shipped = sorted(
        ".".join(path.relative_to(layer).with_suffix("").parts).removesuffix(".__init__")
        for path in (layer / "hotpapers").rglob("*.py")
    )
    # When python3.13 with no site-packages imports each of them from the layer alone
    probe = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    result = subprocess.run(
        [str(python313), "-I", "-S", "-c", f"import sys; sys.path.insert(0, {str(layer)!r})\n{probe}", *shipped],
        env={"AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # Then every one imports: the layer installs what it ships
    assert result.returncode == 0, result.stderr
    # And the command line and the local stand-in for AWS, which no Lambda runs, are not shipped
    assert "hotpapers.pipeline.fetch" in shipped
    assert not [name for name in shipped if name.startswith(("hotpapers.cli", "hotpapers.offline"))]


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


def run_built(
    python: Path, build: Path, stack: Stack, function: str, events: list[str], env: dict[str, str], tmp: Path
) -> dict[str, Any]:
    """Run ``function`` from ``build`` in its own python3.13 process; return the bootstrap's report."""
    report = tmp / f"{function}.json"
    handler = stack.resources[function]["Properties"]["Handler"]
    lambda_env = {
        **stack.environment(function),
        **env,
        "AWS_LAMBDA_FUNCTION_NAME": stack.names[function],
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }
    command = [str(python), "-I", "-S", str(BOOTSTRAP), str(report), str(build / function)]
    command += [str(build / "CommonLayer" / "python"), handler, function, *(str(EVENTS / name) for name in events)]
    result = subprocess.run(command, env=lambda_env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    record: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    failed = [invocation for invocation in record["invocations"] if "errorType" in invocation]
    assert not failed, failed
    return record


def test_each_built_function_runs_its_sample_events_with_only_its_layer(
    builds: dict[str, Path],
    python313: Path,
    moto: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # Given moto with the stack's buckets named as in the samples, and the X token in SSM
    for name, value in aws_environment(moto).items():
        monkeypatch.setenv(name, value)
    reset(moto)
    parameters.clear_caches()
    build = builds["x86_64"]
    stack = Stack(expand(build / "template.yaml"), names={"DataBucket": DATA, "SiteBucket": SITE})
    deploy_wiring(stack)
    boto3.client("ssm").put_parameter(Name="/hotpapers/x_bearer_token", Value="token-from-ssm", Type="SecureString")
    server, upstream_env = ReplayServer.from_recording(RECORDING)
    upstream_env.pop("HOTPAPERS_X_BEARER_TOKEN")
    env = {**aws_environment(moto), **upstream_env}

    # When each built function runs its samples, in the order the chain would
    with server:
        fetch = run_built(
            python313, build, stack, "FetchFunction", ["fetch-schedule.json", "fetch-date.json"], env, tmp_path
        )
        score = run_built(python313, build, stack, "ScoreFunction", ["score-raw-manifest.json"], env, tmp_path)
        render = run_built(python313, build, stack, "RenderFunction", ["render-scored-day.json"], env, tmp_path)
        index = run_built(python313, build, stack, "IndexFunction", ["index-search-records.json"], env, tmp_path)

    # Then each ran on python3.13 importing nothing from outside its code, its layer and the stdlib
    for record in (fetch, score, render, index):
        assert record["python"].startswith("3.13.")
        assert record["outsiders"] == []
    # ... the schedule's tick and the manual date both sealed the recorded day, with the SSM token
    assert [(i["result"]["status"], i["result"]["date"]) for i in fetch["invocations"]] == [("sealed", DAY)] * 2
    searches = server.requests_to("/2/tweets/search/recent")
    assert {request.headers["Authorization"] for request in searches} == {"Bearer token-from-ssm"}
    # ... and score and render published it on the site bucket
    assert score["invocations"][0]["result"]["key"] == f"scored/{DAY}.json"
    published = render["invocations"][0]["result"]
    site = objects(SITE)
    assert set(published["keys"]) <= set(site)
    assert site[f"digests/{DAY}.md"].decode().startswith(f"---\ntitle: Hot Papers {DAY}\n")
    # ... and the index step, running the layer's Pagefind binary, published the search index
    assert index["invocations"][0]["result"]["built"] == ["recent"]
    assert {"pagefind/bundles.json", "pagefind/recent/pagefind.js", "pagefind/recent/pagefind-entry.json"} <= set(site)
    print(
        "\nbuilt functions (x86_64, python3.13):",
        {
            name: {
                "init_ms": record["init_ms"],
                "durations_ms": [i["duration_ms"] for i in record["invocations"]],
                "max_rss_mb": record["max_rss_mb"],
            }
            for name, record in (("fetch", fetch), ("score", score), ("render", render), ("index", index))
        },
        file=sys.stderr,
    )
