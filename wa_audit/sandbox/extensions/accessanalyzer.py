"""IAM Access Analyzer: moto has no backend. ListAnalyzers, and CreateAnalyzer to seed it;
ListFindingsV2 over findings seeded into the state (AWS's analysis writes them, no API does).

Analyzers are kept per account and region, answered in the REST-JSON shapes of the API reference
(``GET /analyzer``, ``PUT /analyzer``, ``POST /findingv2``), with ``maxResults``/``nextToken``
pagination. ListFindingsV2 filters on ``status``, ``findingType`` and ``resourceType`` with ``eq``.
"""

from __future__ import annotations

import base64
import re
import threading
import uuid
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
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Each analyzer's findings (by analyzer ARN), in FindingSummaryV2's shape."""
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


def add_finding(
    state: SandboxState,
    account_id: str,
    analyzer_arn: str,
    *,
    resource: str,
    resource_type: str,
    finding_type: str,
    status: str = "ACTIVE",
) -> None:
    """A finding as the analysis would report it (the sandbox has no analysis to run)."""
    store = _analyzers(state, account_id)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with store.lock:
        found = store.findings.setdefault(analyzer_arn, [])
        found.append(
            {
                "id": str(
                    uuid.uuid5(uuid.NAMESPACE_URL, f"{analyzer_arn}/{resource}/{finding_type}")
                ),
                "resource": resource,
                "resourceType": resource_type,
                "resourceOwnerAccount": account_id,
                "status": status,
                "findingType": finding_type,
                "analyzedAt": now,
                "createdAt": now,
                "updatedAt": now,
            }
        )


def _matches(finding: dict[str, Any], criteria: dict[str, Any]) -> bool:
    for key, criterion in criteria.items():
        wanted = (criterion or {}).get("eq")
        if wanted is not None and finding.get(key) not in wanted:
            return False
    return True


@handlers.operation("ListFindingsV2")
def list_findings_v2(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    arn = body.get("analyzerArn", "")
    store = _analyzers(state, request.account_id)
    with store.lock:
        known = any(a["arn"] == arn for a in store.by_region.get(request.region, {}).values())
        found = [f for f in store.findings.get(arn, []) if _matches(f, body.get("filter") or {})]
    if not known:
        return _error(
            "ResourceNotFoundException",
            404,
            f"Analyzer {arn} not found",
            resourceId=arn,
            resourceType="AWS::AccessAnalyzer::Analyzer",
        )
    start = _offset(body.get("nextToken"))
    page_size = int(body.get("maxResults") or DEFAULT_PAGE_SIZE)
    if start is None or page_size < 1:
        return _validation_error("Invalid pagination parameters", "nextToken")
    reply: dict[str, Any] = {"findings": found[start : start + page_size]}
    if start + page_size < len(found):
        reply["nextToken"] = base64.urlsafe_b64encode(str(start + page_size).encode()).decode()
    return json_response(reply)
