"""Run one function built by `sam build` the way the Lambda Python runtime does, without Docker.

    python3.13 -I -S lambda_bootstrap.py REPORT TASK_DIR LAYER_DIR HANDLER NAME EVENT...

``-I -S`` leave only the standard library on ``sys.path``; like the runtime, this puts the
function's code (``/var/task``) and then its layer (``/opt/python``) in front. The handler is
imported once (the cold start) and invoked with each event file in turn, in this one process
(warm invocations). Nothing but the standard library is imported here, and the report (JSON:
init and invocation durations, results or errors, peak memory, any module loaded from outside
the three allowed places) goes to REPORT, since the handlers print logs and metrics on stdout.
"""

import importlib
import json
import sys
import sysconfig
import time
import traceback
import zoneinfo
from pathlib import Path


class Context:
    """The Lambda context object's fields the Powertools decorators read."""

    def __init__(self, name: str, request: int) -> None:
        self.function_name = name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 512
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{name}"
        self.aws_request_id = f"{name}-{request}"
        self._deadline = time.monotonic() + 900

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - time.monotonic()) * 1000)


def outsiders(allowed: list[Path]) -> list[str]:
    """Modules loaded from anywhere but ``allowed`` (the task, the layer, the stdlib, this file)."""
    found = []
    for name, module in list(sys.modules.items()):
        location = getattr(module, "__file__", None)
        if location and not any(Path(location).resolve().is_relative_to(root) for root in allowed):
            found.append(f"{name}: {location}")
    return sorted(found)


def peak_memory_mb() -> int | None:
    """This process's peak resident memory (``ru_maxrss`` would count the parent's, kept across exec)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return None


def main(report: str, task: str, layer: str, handler: str, name: str, *events: str) -> None:
    roots = [Path(task).resolve(), Path(layer).resolve()]
    sys.path[:0] = [str(root) for root in roots]
    # Whatever time zone files the runtime image has or lacks, the layer must bring its own.
    zoneinfo.reset_tzpath([])
    module_name, attribute = handler.rsplit(".", 1)

    started = time.perf_counter()
    function = getattr(importlib.import_module(module_name), attribute)
    invocations: list[dict[str, object]] = []
    record: dict[str, object] = {"init_ms": round((time.perf_counter() - started) * 1000), "invocations": invocations}
    for number, path in enumerate(events, 1):
        event = json.loads(Path(path).read_text(encoding="utf-8"))
        started = time.perf_counter()
        try:
            outcome: dict[str, object] = {"result": function(event, Context(name, number))}
        except Exception as exc:  # reported like the runtime's errorType / errorMessage
            outcome = {"errorType": type(exc).__name__, "errorMessage": str(exc), "trace": traceback.format_exc()}
        outcome["event"] = Path(path).name
        outcome["duration_ms"] = round((time.perf_counter() - started) * 1000)
        invocations.append(outcome)
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    record["max_rss_mb"] = peak_memory_mb()
    record["outsiders"] = outsiders([*roots, stdlib, Path(__file__).resolve()])
    record["python"] = sys.version.split()[0]
    Path(report).write_text(json.dumps(record, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
