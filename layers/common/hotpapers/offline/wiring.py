"""The chain as ``template.yaml`` wires it: which function each S3 event reaches.

The template's ``EventBridgeRule`` patterns are the one description of the chain. The local
runner routes events through them with a subset of EventBridge pattern matching (exact values,
``wildcard`` and nested fields, which they use; ``prefix`` and ``suffix`` too), so a change of wiring in
the template changes the local run too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (``!Ref X``) as their long form (``{"Ref": "X"}``)."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


def load_template(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return dict(yaml.load(handle, Loader=_CfnLoader))  # noqa: S506 - SafeLoader subclass


@dataclass(frozen=True)
class Rule:
    function: str
    name: str
    pattern: dict[str, Any]

    def matches(self, event: Mapping[str, Any]) -> bool:
        return _matches(self.pattern, event)


def rules(template: dict[str, Any], refs: Mapping[str, str]) -> list[Rule]:
    """Every function's ``EventBridgeRule`` events, with ``!Ref`` resolved through ``refs``."""
    found = []
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        for event_name, event in resource.get("Properties", {}).get("Events", {}).items():
            if event.get("Type") == "EventBridgeRule":
                pattern = _resolve(event["Properties"]["Pattern"], refs)
                found.append(Rule(function=logical_id, name=event_name, pattern=pattern))
    return found


def _resolve(value: Any, refs: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            return refs[value["Ref"]]
        return {key: _resolve(item, refs) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, refs) for item in value]
    return value


def _matches(pattern: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    for field, expected in pattern.items():
        if field not in event:
            return False
        actual = event[field]
        if isinstance(expected, dict):
            if not isinstance(actual, Mapping) or not _matches(expected, actual):
                return False
        elif not any(_value_matches(condition, actual) for condition in expected):
            return False
    return True


def _value_matches(condition: Any, actual: Any) -> bool:
    if not isinstance(condition, dict):
        return bool(condition == actual)
    if not isinstance(actual, str):
        return False
    if "prefix" in condition:
        return actual.startswith(condition["prefix"])
    if "suffix" in condition:
        return actual.endswith(condition["suffix"])
    if "wildcard" in condition:
        # EventBridge wildcards know only "*", which also spans "/".
        parts = condition["wildcard"].split("*")
        return re.fullmatch(".*".join(map(re.escape, parts)), actual, re.DOTALL) is not None
    raise ValueError(f"pattern condition {condition!r} is not supported by the local runner")
