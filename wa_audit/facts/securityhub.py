"""Security Hub: whether the account has it on, per region, in either of its two forms.

Security Hub CSPM (the original, ``DescribeHub``) and the new Security Hub (GA December 2025,
``DescribeSecurityHubV2``) are enabled separately; either one collects findings in the region.
A policy that lets the auditor read one but not the other leaves the other unknown, not the
region: CSPM on is enough to pass whatever V2 says.
"""

from __future__ import annotations

from typing import Any

import botocore
from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless
from wa_audit.facts.denials import scp_denial
from wa_audit.facts.store import ACCESS_DENIED_CODES

# DescribeHub's answer for an account that has not enabled Security Hub CSPM in the region.
NOT_SUBSCRIBED = "InvalidAccessException"
# DescribeSecurityHubV2's answer where the new Security Hub is not enabled (the only "not found"
# error its botocore model lists).
V2_NOT_ENABLED = "ResourceNotFoundException"
# What an endpoint that does not serve the new API yet answers: V2 is then unknown, not off.
V2_UNKNOWN_HERE = "UnknownOperationException"
V2_ACTION = "securityhub:DescribeSecurityHubV2"
"""The IAM action of the same name (AWS managed policy AWSSecurityHubV2ServiceRolePolicy)."""


class HubV2(BaseModel):
    """What ``DescribeSecurityHubV2`` says; ``known`` False when it could not be asked."""

    model_config = ConfigDict(frozen=True)

    known: bool = True
    enabled: bool = False
    arn: str | None = None
    subscribed_at: str | None = None
    reason: str | None = None
    missing_permission: str | None = None
    """The action to grant when V2 is unknown because the auditor was denied it."""


class Hub(BaseModel):
    model_config = ConfigDict(frozen=True)

    enabled: bool
    arn: str | None = None
    subscribed_at: str | None = None
    reason: str | None = None
    """Why it counts as off."""
    v2: HubV2 = HubV2()


def _describe_v2(client: Any) -> HubV2:
    """The new Security Hub, or unknown where this botocore predates its API."""
    describe = getattr(client, "describe_security_hub_v2", None)
    if describe is None:
        return HubV2(
            known=False,
            reason=f"botocore {botocore.__version__} has no DescribeSecurityHubV2: upgrade boto3",
        )
    try:
        raw = response_unless({V2_NOT_ENABLED}, describe)
    except ClientError as error:
        return _unknown_v2(error)
    if raw is None:
        return HubV2(reason=f"DescribeSecurityHubV2 answered {V2_NOT_ENABLED}: not enabled")
    return HubV2(enabled=True, arn=raw["HubV2Arn"], subscribed_at=raw.get("SubscribedAt"))


def _unknown_v2(error: ClientError) -> HubV2:
    """V2 unknown where the endpoint lacks the API or the auditor is denied it; else raise."""
    answer = error.response.get("Error", {})
    code = answer.get("Code")
    if code == V2_UNKNOWN_HERE:
        return HubV2(known=False, reason=f"DescribeSecurityHubV2 answered {V2_UNKNOWN_HERE} here")
    if code not in ACCESS_DENIED_CODES:
        raise error
    if (denial := scp_denial(answer.get("Message") or "")) is not None:
        return HubV2(known=False, reason=f"DescribeSecurityHubV2 {denial.reason}")
    return HubV2(
        known=False, reason=f"access denied: grant {V2_ACTION}", missing_permission=V2_ACTION
    )


@fact(
    "securityhub.hub",
    regional=True,
    permissions=["securityhub:DescribeHub", V2_ACTION],
)
def hub(ctx: FetchContext) -> Hub:
    client = ctx.client("securityhub")
    v2 = _describe_v2(client)
    raw = response_unless({NOT_SUBSCRIBED}, client.describe_hub)
    if raw is None:
        reason = f"DescribeHub answered {NOT_SUBSCRIBED}: not subscribed"
        return Hub(enabled=False, reason=reason, v2=v2)
    return Hub(enabled=True, arn=raw["HubArn"], subscribed_at=raw.get("SubscribedAt"), v2=v2)
