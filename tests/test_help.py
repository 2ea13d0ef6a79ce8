"""Every command documents every option, shows its default, and takes --debug."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from wa_audit.cli import cli
from wa_audit.registry import discover

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
    assert "default: the config's formats, else every format" in text
    assert "default html,json" not in text


def synopsis_of(path: tuple[str, ...]) -> str:
    """The README synopsis lines of one command: those starting ``wa-audit <path>``, each with its
    indented continuation lines; "[run's options]" stands for the options of ``run``."""
    readme = README.read_text(encoding="utf-8")
    block = readme[readme.index("## Usage") :]
    block = block[block.index("```sh\n") + 6 :]
    lines = block[: block.index("```")].splitlines()
    head = "wa-audit " + " ".join(path)
    found, inside = [], False
    for line in lines:
        if line.startswith("wa-audit "):
            rest = line[len(head) :]
            inside = line.startswith(head) and (rest == "" or rest[0] == " ")
        if inside:
            found.append(line)
    text = "\n".join(found)
    if "[run's options]" in text and path != ("run",):
        text += "\n" + synopsis_of(("run",))
    return text


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_readme_synopsis_names_every_option(path):
    """Every option of every command is in the README's synopsis, on that command's lines
    (--debug and --help, which every command takes, are said once below it)."""
    synopsis = synopsis_of(path)
    assert synopsis, f"no synopsis line for wa-audit {' '.join(path)}"
    for param in command_at(path).params:
        name = param.opts[-1] if isinstance(param, click.Option) else None
        if name is None or name in ("--help", "--debug"):
            continue
        assert re.search(re.escape(name) + r"(?![\w-])", synopsis), f"{' '.join(path)} {name}"


def test_checks_table_has_a_header():
    lines = CliRunner().invoke(cli, ["checks", "--pillar", "sec"]).output.splitlines()
    assert lines[0].split() == ["CHECK", "PILLAR", "SEVERITY", "BEST", "PRACTICES", "TITLE"]
    assert lines[1].startswith("sec.")


@pytest.mark.parametrize("command", ["run", "demo"])
def test_format_help_names_the_configs_formats(command):
    text = CliRunner().invoke(cli, [command, "--help"], terminal_width=200).output
    assert "default: the config's formats, else" in " ".join(text.split())


@pytest.mark.parametrize("command", ["list", "history", "request"])
def test_quotas_region_help_states_its_default(command):
    text = CliRunner().invoke(cli, ["quotas", command, "--help"], terminal_width=200).output
    assert "default: the config's regions, else every enabled region" in " ".join(text.split())


def test_checks_table_columns_fit_their_widest_entry():
    """Every title starts in the same column, however long a check's best-practice list is."""
    lines = CliRunner().invoke(cli, ["checks"]).output.splitlines()
    title_at = lines[0].index("TITLE")
    checks = {spec.id: spec for spec in (c.spec for c in discover())}
    widest = max(len(",".join(spec.best_practices)) for spec in checks.values())
    assert lines[0].index("BEST PRACTICES") + widest < title_at
    for line in lines[1:]:
        check_id = line.split()[0]
        assert line[title_at:] == checks[check_id].title, line
