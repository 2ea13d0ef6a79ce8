"""The config file (TOML): scope, gating, check parameters and suppressions, validated strictly."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

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
from wa_audit.output import remote_location

DEFAULT_CONFIG_FILE = Path("wa-audit.toml")

M = TypeVar("M", bound=BaseModel)

FAIL_ON_CHOICES = (*(s.value for s in Severity), "never")
"""What ``--fail-on`` and ``fail_on`` accept, in any case."""


def _fail_on(value: object) -> object:
    """``fail_on = "HIGH"`` means what ``--fail-on HIGH`` means; anything else names the choices."""
    if isinstance(value, str) and value.lower() in FAIL_ON_CHOICES:
        return value.lower()
    if isinstance(value, Severity):
        return value
    raise PydanticCustomError(
        "fail_on", "{value} is not one of {choices}", {"value": repr(value), "choices": _CHOICES}
    )


def _local_folder(value: object) -> object:
    """``output_dir = "s3://…"`` is refused: it would become a local folder named ``s3:``."""
    if isinstance(value, str) and (reason := remote_location(value)) is not None:
        raise PydanticCustomError(
            "output_dir", "{value}: {reason}", {"value": value, "reason": reason}
        )
    return value


_CHOICES = ", ".join(FAIL_ON_CHOICES)
FailOn = Annotated[Severity | Literal["never"], BeforeValidator(_fail_on)]
StrictInt = Annotated[int, Strict()]
"""A TOML integer: ``"8"``, ``true`` and ``8.0`` are refused, never read as 8, 1 or 8."""
StrictStr = Annotated[str, Strict()]


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

    regions: tuple[StrictStr, ...] = ()
    pillars: tuple[Pillar, ...] = ()
    checks: tuple[StrictStr, ...] = Field(default=(), description="Run only these check ids.")
    skip_checks: tuple[StrictStr, ...] = ()
    fail_on: FailOn = DEFAULT_FAIL_ON
    workers: StrictInt = Field(default=DEFAULT_WORKERS, ge=1, le=MAX_WORKERS)
    max_attempts: StrictInt = Field(
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
    output_dir: Annotated[Path | None, BeforeValidator(_local_folder)] = None
    formats: tuple[StrictStr, ...] = ()
    answers: Path | None = Field(default=None, description="Answers file (TOML).")
    answer_max_age_days: StrictInt = Field(
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
    detail = first["msg"]
    if first["type"].endswith("_type") and isinstance(first["input"], str | int | float | bool):
        detail += f", not {first['input']!r}"  # `workers = "8"`: the quotes are the mistake
    return f"{source}: bad value for {key!r}: {detail}"


def check_params(model: type[M], check_id: str, raw: Mapping[str, Any]) -> M:
    """A check's ``[params."<id>"]`` table as its model, strictly: ``days = true`` or ``= "7"``
    is refused, never read as 1 or 7."""
    try:
        return model.model_validate(dict(raw), strict=True)
    except ValidationError as error:
        raise ConfigError(describe_validation_error(error, f'params."{check_id}"')) from error


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file as a dict; a missing, unreadable, non-UTF-8 or invalid file is one line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ConfigError(f"{what} {str(path)!r} does not exist") from error
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{error.object[error.start]:02x} at offset "
            f"{error.start}); save it as UTF-8"
        ) from error
    except OSError as error:
        raise ConfigError(f"cannot read {what} {str(path)!r}: {error.strerror}") from error
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error


def load_config(path: Path | None) -> Config:
    """Read ``path``, or ``wa-audit.toml`` in the current directory if present, else defaults."""
    if path is None:
        if not DEFAULT_CONFIG_FILE.is_file():
            return Config()
        path = DEFAULT_CONFIG_FILE
    raw = read_toml(path, "config file")
    try:
        return Config.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(describe_validation_error(error, str(path))) from error
