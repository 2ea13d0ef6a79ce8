"""AWS Compute Optimizer enrollment: moto has no backend for the service at all.

The enrollment API: ``GetEnrollmentStatus`` and ``UpdateEnrollmentStatus`` (how seeders and
users opt in); and ``GetEC2InstanceRecommendations`` over recommendations seeded into the state per
region (AWS's analysis of 14 days of metrics writes them; no API does), answered with
``OptInRequiredException`` while the account is not enrolled. An account starts ``Inactive``; opting in makes it ``Active``. ``Pending`` and
``Failed`` are statuses AWS reports, never ones a caller may set. The sandbox models a standalone
account: no organization, so no member accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(
    service="compute-optimizer", signing_name="compute-optimizer", moto_has_service=False
)
SETTABLE = frozenset({"Active", "Inactive"})


@dataclass
class Enrollment:
    status: str = "Inactive"
    last_updated: datetime | None = None
    ec2: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Each region's EC2 instance recommendations, in InstanceRecommendation's shape."""


def enrollment(state: SandboxState, account_id: str) -> Enrollment:
    """Enrollment is account-wide: the same answer from every regional endpoint."""
    return state.area(account_id, "compute-optimizer.enrollment", Enrollment)


@handlers.operation("GetEnrollmentStatus")
def get_enrollment_status(request: AwsRequest, state: SandboxState) -> Response:
    current = enrollment(state, request.account_id)
    body: dict[str, object] = {"status": current.status, "memberAccountsEnrolled": False}
    if current.last_updated is not None:
        body["lastUpdatedTimestamp"] = current.last_updated.timestamp()
    return json_response(body)


@handlers.operation("UpdateEnrollmentStatus")
def update_enrollment_status(request: AwsRequest, state: SandboxState) -> Response:
    wanted = request.json().get("status")
    if wanted not in SETTABLE:
        return error_response(
            request,
            "InvalidParameterValueException",
            f"The status {wanted!r} is not valid: use Active or Inactive.",
        )
    current = enrollment(state, request.account_id)
    current.status = str(wanted)
    current.last_updated = datetime.now(UTC)
    return json_response({"status": current.status})


PAGE_SIZE = 100


@handlers.operation("GetEC2InstanceRecommendations")
def get_ec2_instance_recommendations(request: AwsRequest, state: SandboxState) -> Response:
    current = enrollment(state, request.account_id)
    if current.status != "Active":
        return error_response(
            request,
            "OptInRequiredException",
            "The account is not opted in to AWS Compute Optimizer.",
        )
    body = request.json()
    wanted = set(body.get("instanceArns") or [])
    found = [
        r for r in current.ec2.get(request.region, []) if not wanted or r["instanceArn"] in wanted
    ]
    try:
        start = int(body.get("nextToken") or 0)
    except ValueError:
        return error_response(request, "InvalidParameterValueException", "Invalid nextToken.")
    size = int(body.get("maxResults") or PAGE_SIZE)
    reply: dict[str, Any] = {"instanceRecommendations": found[start : start + size], "errors": []}
    if start + size < len(found):
        reply["nextToken"] = str(start + size)
    return json_response(reply)
