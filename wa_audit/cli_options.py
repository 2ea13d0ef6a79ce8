"""Options several commands share, defined once so their help and defaults read the same."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from wa_audit.models import Pillar
from wa_audit.output import remote_location

F = TypeVar("F", bound=Callable[..., Any])
PILLAR_CHOICES = [p.check_prefix for p in Pillar] + [p.value for p in Pillar]


def pillar_option(what: str) -> Callable[[F], F]:
    """``--pillar`` (repeatable), as every command that narrows by pillar takes it."""
    return click.option(
        "--pillar",
        "pillars",
        multiple=True,
        type=click.Choice(PILLAR_CHOICES, case_sensitive=False),
        help=f"Only {what} of this pillar (repeat; default: every pillar).",
    )


def table_or_json_option() -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="Output format.",
    )


class LocalDirectory(click.Path):
    """An output folder on this machine: ``s3://…`` is refused (exit 2) instead of becoming a
    folder named ``s3:``."""

    def __init__(self) -> None:
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and (reason := remote_location(value)) is not None:
            self.fail(f"{value}: {reason}", param, ctx)
        return super().convert(value, param, ctx)
