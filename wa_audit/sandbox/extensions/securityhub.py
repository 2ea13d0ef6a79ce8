"""Security Hub (the new one, "V2"): moto knows only Security Hub CSPM (``DescribeHub``).

``EnableSecurityHubV2`` (``POST /hubv2``, to seed it) and ``DescribeSecurityHubV2``
(``GET /hubv2``), per account and region, in the shapes of botocore's securityhub model:
``HubV2Arn`` ``arn:aws:securityhub:<region>:<account>:hubv2/<id>``, ``SubscribedAt`` an ISO 8601
string, ``Features`` a map of opt-in features. A region without it answers
``ResourceNotFoundException`` (404), the error the model lists for the operation. Everything else
about Security Hub goes to moto.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="securityhub", signing_name="securityhub")
_PARTITION = "aws"  # the sandbox serves the commercial partition only


@dataclass
class HubV2:
    arn: str
    subscribed_at: datetime


@dataclass
class HubsV2:
    by_region: dict[str, HubV2] = field(default_factory=dict)


def hubs_v2(state: SandboxState, account_id: str) -> HubsV2:
    return state.area(account_id, "securityhub.v2", HubsV2)


def _error(code: str, status: int, message: str) -> Response:
    """A REST-JSON error: the type in ``X-Amzn-ErrorType``, the shape's Code and Message."""
    response = json_response({"Code": code, "Message": message}, status)
    response.headers["X-Amzn-ErrorType"] = code
    return response


@handlers.operation("EnableSecurityHubV2")
def enable_security_hub_v2(request: AwsRequest, state: SandboxState) -> Response:
    """The model lists no conflict error for it: enabling again answers the same hub."""
    hubs = hubs_v2(state, request.account_id)
    hub = hubs.by_region.get(request.region)
    if hub is None:
        arn = f"arn:{_PARTITION}:securityhub:{request.region}:{request.account_id}:hubv2/{uuid.uuid4()}"
        hub = hubs.by_region[request.region] = HubV2(arn=arn, subscribed_at=datetime.now(UTC))
    return json_response({"HubV2Arn": hub.arn})


@handlers.operation("DescribeSecurityHubV2")
def describe_security_hub_v2(request: AwsRequest, state: SandboxState) -> Response:
    hub = hubs_v2(state, request.account_id).by_region.get(request.region)
    if hub is None:
        return _error(
            "ResourceNotFoundException", 404, "Security Hub is not enabled in this Region."
        )
    subscribed = hub.subscribed_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return json_response({"HubV2Arn": hub.arn, "SubscribedAt": subscribed, "Features": {}})
