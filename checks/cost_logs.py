"""Cost optimization: log groups that keep every event forever."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.context import CheckContext
from wa_audit.facts.logs import log_groups
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check


class LogRetentionParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    max_retention_days: int | None = Field(default=None, ge=1)
    """Also fail log groups that keep events longer than this (None: only never-expiring ones)."""


def _size(stored_bytes: int) -> str:
    return f"{stored_bytes / 1024**3:,.1f} GiB"


@check(
    id="cost.log-retention",
    pillar=Pillar.COST_OPTIMIZATION,
    title="Log groups expire their events",
    fail_title="Log groups keep their events forever",
    severity=Severity.LOW,
    best_practices=["COST04-BP05", "SUS04-BP05"],
    remediation=(
        "Set a retention period on each log group (PutRetentionPolicy), as long as your "
        "retention rules require and no longer; export what must be kept for years to S3 with "
        "a lifecycle rule to an archive storage class."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
    facts=[log_groups],
    regional=True,
    params=LogRetentionParams,
)
def log_retention(ctx: CheckContext) -> Iterator[Finding]:
    """Per log group; the Delivery class keeps events one day whatever the setting says."""
    limit = ctx.params(LogRetentionParams).max_retention_days
    for group in ctx.fact(log_groups):
        evidence = {
            "retention_days": group.retention_days,
            "stored_bytes": group.stored_bytes,
            "log_class": group.log_class,
            "retention_policy": group.retention_policy,
            "max_retention_days": limit,
        }
        stored = f" ({_size(group.stored_bytes)} stored)" if group.stored_bytes else ""
        if not group.expires:
            message = f"Log group {group.name} never expires its events{stored}: it grows, and is paid for, forever."
            yield ctx.failed(group.arn, message, evidence=evidence)
        elif limit is not None and (group.retention_days or 0) > limit:
            message = (
                f"Log group {group.name} keeps events {group.retention_days} days{stored}, "
                f"more than the {limit} days configured."
            )
            yield ctx.failed(group.arn, message, evidence=evidence)
        else:
            kept = (
                "1 day (Delivery class)"
                if group.retention_days is None
                else f"{group.retention_days} days"
            )
            yield ctx.passed(
                group.arn, f"Log group {group.name} keeps events {kept}.", evidence=evidence
            )
