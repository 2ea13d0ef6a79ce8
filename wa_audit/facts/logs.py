"""CloudWatch Logs facts: the region's log groups and how long each keeps its events.

``retentionInDays`` is absent when events never expire; when an account-level retention policy
applies, it shows that policy's period (``retentionPolicyName`` names it), and is absent again if
the policy keeps events forever (DescribeLogGroups, botocore's ``logs`` model, ``LogGroup``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

DELIVERY_CLASS = "DELIVERY"
"""Log groups of this class keep events one day, whatever ``retentionInDays`` says."""


class LogGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    retention_days: int | None
    """None: events never expire."""
    stored_bytes: int = 0
    log_class: str = "STANDARD"
    retention_policy: str | None = None
    """The account-level retention policy that sets ``retention_days``, if any."""

    @property
    def expires(self) -> bool:
        return self.retention_days is not None or self.log_class == DELIVERY_CLASS


@fact("logs.log_groups", regional=True, permissions=["logs:DescribeLogGroups"])
def log_groups(ctx: FetchContext) -> tuple[LogGroup, ...]:
    return tuple(
        LogGroup(
            name=raw["logGroupName"],
            # logGroupArn is the ARN without the ":*" suffix that "arn" carries.
            arn=raw.get("logGroupArn") or raw["arn"].removesuffix(":*"),
            retention_days=raw.get("retentionInDays"),
            stored_bytes=raw.get("storedBytes", 0),
            log_class=raw.get("logGroupClass", "STANDARD"),
            retention_policy=raw.get("retentionPolicyName"),
        )
        for raw in ctx.paginate("logs", "describe_log_groups", "logGroups")
    )
