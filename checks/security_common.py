"""Small helpers the security check modules share (not a check module: no entry point)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from wa_audit.context import CheckContext


class Params(BaseModel):
    """Base of the checks' parameter models: a misspelt key in the config is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def region_resource(ctx: CheckContext) -> str:
    """The natural id of an account's setting in one region, where the setting has no ARN."""
    return f"{ctx.account_id}/{ctx.region}"


def days_since(now: datetime, then: datetime) -> int:
    """Whole days; a moment after ``now`` is 0, not -1 (the auditing key, used during the run)."""
    return max(0, (now - then).days)


def plural_days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"
