"""IAM Access Analyzer: moto has no backend. ListAnalyzers, and CreateAnalyzer to seed it.

Analyzers are kept per account and region, answered in the REST-JSON shapes of the API reference
(``GET /analyzer``, ``PUT /analyzer``), with ``maxResults``/``nextToken`` pagination.
"""

from __future__ import annotations

import base64
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(
    service="accessanalyzer", signing_name="access-analyzer", moto_has_service=False
)

ANALYZER_TYPES = (
    "ACCOUNT",
    "ORGANIZATION",
    "ACCOUNT_UNUSED_ACCESS",
    "ORGANIZATION_UNUSED_ACCESS",
    "ACCOUNT_INTERNAL_ACCESS",
    "ORGANIZATION_INTERNAL_ACCESS",
)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,254}$")
DEFAULT_PAGE_SIZE = 100


@dataclass
class Analyzers:
    """Each region's analyzers, by name, in creation order."""

    by_region: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _analyzers(state: SandboxState, account_id: str) -> Analyzers:
    return state.area(account_id, "accessanalyzer", Analyzers)


def _error(code: str, status: int, message: str, **fields: Any) -> Response:
    """A REST-JSON error: the type in ``X-Amzn-ErrorType``, the shape's members in the body."""
    response = json_response({"message": message, **fields}, status)
    response.headers["X-Amzn-ErrorType"] = code
    return response


def _validation_error(message: str, field_name: str) -> Response:
    return _error(
        "ValidationException",
        400,
        message,
        reason="fieldValidationFailed",
        fieldList=[{"name": field_name, "message": message}],
    )


@handlers.operation("CreateAnalyzer")
def create_analyzer(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    name = body.get("analyzerName", "")
    analyzer_type = body.get("type", "")
    if not _NAME.match(name):
        return _validation_error(f"Invalid analyzer name: {name!r}", "analyzerName")
    if analyzer_type not in ANALYZER_TYPES:
        return _validation_error(f"Invalid type: {analyzer_type!r}", "type")
    arn = f"arn:aws:access-analyzer:{request.region}:{request.account_id}:analyzer/{name}"
    store = _analyzers(state, request.account_id)
    with store.lock:
        region = store.by_region.setdefault(request.region, {})
        if name in region:
            return _error(
                "ConflictException",
                409,
                f"Analyzer {name} already exists",
                resourceId=name,
                resourceType="AWS::AccessAnalyzer::Analyzer",
            )
        region[name] = {
            "arn": arn,
            "name": name,
            "type": analyzer_type,
            "createdAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "status": "ACTIVE",
            "tags": dict(body.get("tags") or {}),
        }
    return json_response({"arn": arn})


def _offset(token: str | None) -> int | None:
    """Tokens are opaque to callers; ours encode the position of the next analyzer."""
    if not token:
        return 0
    try:
        return int(base64.urlsafe_b64decode(token.encode()).decode())
    except ValueError:
        return None


@handlers.operation("ListAnalyzers")
def list_analyzers(request: AwsRequest, state: SandboxState) -> Response:
    wanted_type = request.raw.args.get("type")
    if wanted_type is not None and wanted_type not in ANALYZER_TYPES:
        return _validation_error(f"Invalid type: {wanted_type!r}", "type")
    try:
        page_size = int(request.raw.args.get("maxResults", DEFAULT_PAGE_SIZE))
    except ValueError:
        return _validation_error("maxResults must be an integer", "maxResults")
    start = _offset(request.raw.args.get("nextToken"))
    if start is None or page_size < 1:
        return _validation_error("Invalid pagination parameters", "nextToken")
    store = _analyzers(state, request.account_id)
    with store.lock:
        found = [
            dict(analyzer)
            for analyzer in store.by_region.get(request.region, {}).values()
            if wanted_type is None or analyzer["type"] == wanted_type
        ]
    page = found[start : start + page_size]
    body: dict[str, Any] = {"analyzers": page}
    if start + page_size < len(found):
        body["nextToken"] = base64.urlsafe_b64encode(str(start + page_size).encode()).decode()
    return json_response(body)
