"""The config file (TOML): scope, gating, check parameters and suppressions, validated strictly."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError
from pydantic_core import ErrorDetails

from wa_audit.defaults import (
    DEFAULT_ANSWER_MAX_AGE_DAYS,
    DEFAULT_CALL_TIMEOUT,
    DEFAULT_FAIL_ON,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_WORKERS,
    MAX_ATTEMPTS_LIMIT,
    MAX_WORKERS,
)
from wa_audit.errors import ConfigError
from wa_audit.models import Pillar, Severity, SuppressionRule

DEFAULT_CONFIG_FILE = Path("wa-audit.toml")

FailOn = Severity | Literal["never"]


class SuppressionEntry(SuppressionRule):
    """A suppression as written in the config file, where ``expires`` must be a TOML date.

    Strict here (not in the Report, whose JSON carries dates as strings): a quoted
    ``"2026-12-31"`` or a number is refused, so a typo cannot become a suppression that never ends.
    """

    expires: Annotated[date, Strict()] = Field(
        description="Last day the suppression applies (UTC): a TOML date, expires = 2026-12-31."
    )


class Config(BaseModel):
    """Every key of ``wa-audit.toml``; command-line flags override what they name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    regions: tuple[str, ...] = ()
    pillars: tuple[Pillar, ...] = ()
    checks: tuple[str, ...] = Field(default=(), description="Run only these check ids.")
    skip_checks: tuple[str, ...] = ()
    fail_on: FailOn = DEFAULT_FAIL_ON
    workers: int = Field(default=DEFAULT_WORKERS, ge=1, le=MAX_WORKERS)
    max_attempts: int = Field(
        default=DEFAULT_MAX_ATTEMPTS,
        ge=1,
        le=MAX_ATTEMPTS_LIMIT,
        description="Attempts per AWS call, the first included.",
    )
    timeout: float | None = Field(
        default=None, gt=0, description="Seconds the whole run may take (default: no limit)."
    )
    read_timeout: float = Field(
        default=DEFAULT_READ_TIMEOUT, gt=0, le=300, description="Seconds to wait for AWS to answer."
    )
    call_timeout: float = Field(
        default=DEFAULT_CALL_TIMEOUT, gt=0, le=3600, description="Seconds per call, all retries."
    )
    output_dir: Path | None = None
    formats: tuple[str, ...] = ()
    answers: Path | None = Field(default=None, description="Answers file (TOML).")
    answer_max_age_days: int = Field(
        default=DEFAULT_ANSWER_MAX_AGE_DAYS, ge=1, description="Older answers are stale."
    )
    params: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description='Per-check parameters: [params."sec.x"] key = value.'
    )
    suppressions: tuple[SuppressionEntry, ...] = Field(
        default=(), description="[[suppressions]] entries: accepted findings, each with an expiry."
    )


def _location(error: ErrorDetails) -> str:
    """``suppressions[2].reason``: the way a person points at a key of a TOML file."""
    text = ""
    for part in error["loc"]:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "(top level)"


def describe_validation_error(error: ValidationError, source: str) -> str:
    """One line naming the first bad key, as a person would want to read it."""
    first = error.errors()[0]
    key = _location(first)
    if first["type"] == "extra_forbidden":
        return f"{source}: unknown key {key!r}"
    if first["type"] == "missing":
        return f"{source}: missing key {key!r}"
    return f"{source}: bad value for {key!r}: {first['msg']}"


def load_config(path: Path | None) -> Config:
    """Read ``path``, or ``wa-audit.toml`` in the current directory if present, else defaults."""
    if path is None:
        if not DEFAULT_CONFIG_FILE.is_file():
            return Config()
        path = DEFAULT_CONFIG_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"config file {str(path)!r} does not exist") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read config file {str(path)!r}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    try:
        return Config.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(describe_validation_error(error, str(path))) from error
