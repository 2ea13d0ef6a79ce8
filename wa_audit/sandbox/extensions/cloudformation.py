"""CloudFormation: moto ignores CreateStack's ``DisableRollback`` and never reports drift.

After moto creates a stack, its model gets the request's ``DisableRollback`` and the
``DriftInformation`` AWS reports for a stack never checked (``StackDriftStatus`` NOT_CHECKED, per
botocore's cloudformation model: StackDriftInformation requires StackDriftStatus). moto's own
DescribeStacks then answers both. :func:`record_drift` sets the result of a drift detection, which
moto cannot run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="cloudformation", signing_name="cloudformation")
NOT_CHECKED = "NOT_CHECKED"


def _stack(account_id: str, region: str, stack_id: str) -> Any:
    from moto.cloudformation.models import cloudformation_backends

    return cloudformation_backends[account_id][region].get_stack(stack_id)


def record_drift(
    account_id: str, region: str, stack_id: str, status: str, checked_at: datetime
) -> None:
    """The stack's last drift detection found ``status`` (DRIFTED, IN_SYNC) at ``checked_at``."""
    stack = _stack(account_id, region, stack_id)
    stack.drift_information = {
        "StackDriftStatus": status,
        "LastCheckTimestamp": checked_at,
    }


@handlers.operation("CreateStack")
def create_stack(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code != 200:
        return response
    document = ElementTree.fromstring(response.get_data())  # noqa: S314 (moto's own answer)
    stack_id = next(e.text for e in document.iter() if e.tag.endswith("StackId"))
    stack = _stack(request.account_id, request.region, str(stack_id))
    stack.disable_rollback = request.form().get("DisableRollback") == "true"
    stack.drift_information = {"StackDriftStatus": NOT_CHECKED}
    return response
