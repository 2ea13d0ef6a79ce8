"""AWS Compute Optimizer enrollment: moto has no backend for the service at all.

Only the enrollment API: ``GetEnrollmentStatus`` and ``UpdateEnrollmentStatus`` (how seeders and
users opt in). An account starts ``Inactive``; opting in makes it ``Active``. ``Pending`` and
``Failed`` are statuses AWS reports, never ones a caller may set. The sandbox models a standalone
account: no organization, so no member accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

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
