"""``--help`` everywhere: every option explained, the exit codes listed, examples given."""

from __future__ import annotations

import argparse

import pytest
from hotpapers.cli import COMMANDS, build_parser


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_top_level_help_lists_every_command_and_the_exit_codes() -> None:
    text = build_parser().format_help()
    assert "``" not in text
    assert "exit codes:" in text
    assert "examples:" in text
    for name in COMMANDS:
        assert f"    {name} " in text


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_explains_every_option(name: str) -> None:
    # Given a command's parser
    parser = subcommands()[name]
    # Then every option has its own help, and the help lists the exit codes and an example
    for action in parser._actions:
        assert action.help, f"{name} {action.option_strings} has no help"
    text = parser.format_help()
    assert "``" not in text
    assert "0  published" in text
    assert "2  bad input" in text
    assert f"examples:\n  hotpapers {name}" in text


def test_the_commands_are_the_architectures() -> None:
    assert set(subcommands()) == {"run", "backfill", "rescore", "refresh", "render", "status", "doctor", "demo"}
