"""Free Tier: moto has no backend for it; the sandbox answers ``GetFreeTierUsage``.

AWS computes each offer's usage and forecast from the bill and offers no API to write them, so
scenarios seed the offers into the sandbox state. An account without Free Tier gets an empty list,
as on AWS. ``filter`` is not modelled (answered with a ValidationException that says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.pagination import InvalidToken, page
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="freetier", signing_name="freetier", moto_has_service=False)
DEFAULT_MAX_RESULTS = 1000


@dataclass
class FreeTierData:
    """One account's Free Tier offers, in ``GetFreeTierUsage``'s ``FreeTierUsage`` shape."""

    usages: list[dict[str, Any]] = field(default_factory=list)


def free_tier(state: SandboxState, account_id: str) -> FreeTierData:
    return state.area(account_id, "freetier", FreeTierData)


@handlers.operation("GetFreeTierUsage")
def get_free_tier_usage(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    if body.get("filter"):
        return error_response(request, "ValidationException", "The sandbox does not model filter")
    try:
        usages, token = page(
            free_tier(state, request.account_id).usages,
            body.get("nextToken"),
            body.get("maxResults", DEFAULT_MAX_RESULTS),
        )
    except InvalidToken:
        return error_response(request, "ValidationException", "Invalid nextToken")
    answer: dict[str, Any] = {"freeTierUsages": usages}
    if token:
        answer["nextToken"] = token
    return json_response(answer)
