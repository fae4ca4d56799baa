"""Run fetch -> score -> render in-process, each handler receiving the event AWS would send it.

The handlers are the real ``functions/*/app.py`` modules. Every object a handler writes to the
data store becomes an S3 "Object Created" event; the template's EventBridge rules decide which
handler (if any) it starts, exactly as on AWS. Objects no rule matches start nothing.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from hotpapers.events import object_created
from hotpapers.offline import wiring
from hotpapers.store import LocalStore

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
FUNCTIONS = {"FetchFunction": "fetch", "ScoreFunction": "score", "RenderFunction": "render", "IndexFunction": "index"}


class ProjectNotFoundError(FileNotFoundError):
    """``template.yaml`` and ``functions/`` could not be located."""


@dataclass
class Invocation:
    function: str
    event: dict[str, Any]
    result: dict[str, Any] | None = None


@dataclass
class Run:
    invocations: list[Invocation] = field(default_factory=list)
    unrouted: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LambdaContext:
    """The slice of the Lambda context the Powertools decorators read."""

    function_name: str
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = ""
    aws_request_id: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


def project_root(start: Path | None = None) -> Path:
    """The checkout holding ``template.yaml`` and ``functions/``: from ``HOTPAPERS_PROJECT``,
    the working directory, or the package's own location (an editable install)."""
    candidates = [Path(os.environ["HOTPAPERS_PROJECT"])] if "HOTPAPERS_PROJECT" in os.environ else []
    candidates += [start or Path.cwd(), Path(__file__).resolve().parents[4]]
    for base in candidates:
        for folder in (base, *base.parents):
            if (folder / "template.yaml").is_file() and (folder / "functions").is_dir():
                return folder
    raise ProjectNotFoundError(
        "cannot find the Hot Papers checkout (template.yaml and functions/); "
        "run from inside it or set HOTPAPERS_PROJECT"
    )


def load_handler(path: Path, name: str, attribute: str = "lambda_handler") -> Handler:
    """Cold-start the handler in ``path``: import it as module ``name`` (its module-level code runs
    now, under the current environment) and give its ``attribute``. The local chain and the AWS
    tests both load handlers so."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ProjectNotFoundError(f"cannot load {path}")
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    handler: Handler = getattr(module, attribute)
    return handler


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _snapshot(store: LocalStore) -> dict[str, tuple[int, int]]:
    return {key: _stat(store, key) for key in store.keys("")}


def _stat(store: LocalStore, key: str) -> tuple[int, int]:
    stat = (store.root / key).stat()
    return stat.st_mtime_ns, stat.st_size


def run_chain(
    first_event: dict[str, Any],
    data_dir: Path,
    site_dir: Path,
    *,
    root: Path | None = None,
    on_invoke: Callable[[Invocation], None] = lambda _: None,
    first_function: str = "FetchFunction",
    handler_stdout: TextIO | None = None,
) -> Run:
    """Invoke ``first_function`` with ``first_event`` and every function the resulting writes start.

    Lambda sends a handler's stdout (the EMF metrics lines) to CloudWatch; here it goes to
    ``handler_stdout``, by default stderr beside the logs.
    """
    root = root or project_root()
    data, site = LocalStore(data_dir), LocalStore(site_dir)
    env = {"HOTPAPERS_DATA_STORE": str(data.root), "HOTPAPERS_SITE_STORE": str(site.root)}
    run = Run()
    with environment(env):
        handlers = {
            function: load_handler(root / "functions" / folder / "app.py", f"hotpapers_function_{folder}")
            for function, folder in FUNCTIONS.items()
        }
        routes = wiring.rules(
            wiring.load_template(root / "template.yaml"),
            {"DataBucket": data.bucket, "SiteBucket": site.bucket},
        )
        queue = [Invocation(first_function, first_event)]
        while queue:
            invocation = queue.pop(0)
            on_invoke(invocation)
            before = _snapshot(data)
            with redirect_stdout(handler_stdout or sys.stderr):
                invocation.result = handlers[invocation.function](invocation.event, LambdaContext(invocation.function))
            run.invocations.append(invocation)
            after = _snapshot(data)
            written = sorted((stat, key) for key, stat in after.items() if before.get(key) != stat)
            for _, key in written:
                event = object_created(data.bucket, key, (data.root / key).read_bytes(), when=datetime.now(UTC))
                targets = [rule.function for rule in routes if rule.matches(event)]
                if not targets:
                    run.unrouted.append(key)
                queue.extend(Invocation(function, event) for function in targets)
    return run
