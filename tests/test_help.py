"""Every command documents every option, shows its default, and takes --debug."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from wa_audit.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"


def commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name)


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


ALL = sorted(commands())


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_option_has_help_and_says_its_default(path):
    command = command_at(path)
    for param in command.params:
        if not isinstance(param, click.Option) or param.hidden:
            continue
        name = param.opts[-1]
        assert param.help, f"{' '.join(path)} {name} has no help"
        if param.is_flag or param.multiple or param.required or name in ("--debug", "--help"):
            continue
        says_default = "default" in param.help.lower() or (
            param.show_default and param.default is not None
        )
        assert says_default, f"{' '.join(path)} {name} does not say its default"


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_command_takes_debug(path):
    names = {opt for p in command_at(path).params for opt in getattr(p, "opts", [])}
    assert "--debug" in names, " ".join(path)


def test_demo_help_states_the_demos_own_format_default():
    text = CliRunner().invoke(cli, ["demo", "--help"], terminal_width=200).output
    assert "default: every format" in text
    assert "default html,json" not in text


def test_readme_synopsis_names_every_option_of_run():
    readme = README.read_text(encoding="utf-8")
    synopsis = readme[readme.index("wa-audit run [") :]
    synopsis = synopsis[: synopsis.index("wa-audit report")]
    for param in command_at(("run",)).params:
        if isinstance(param, click.Option) and param.opts[-1] not in ("--help",):
            assert re.search(re.escape(param.opts[-1]) + r"\b", synopsis), param.opts[-1]


def test_checks_table_has_a_header():
    lines = CliRunner().invoke(cli, ["checks", "--pillar", "sec"]).output.splitlines()
    assert lines[0].split() == ["CHECK", "PILLAR", "SEVERITY", "BEST", "PRACTICES", "TITLE"]
    assert lines[1].startswith("sec.")
