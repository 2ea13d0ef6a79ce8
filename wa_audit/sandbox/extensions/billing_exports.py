"""Cost and Usage Reports (legacy CUR) and Data Exports: moto has neither service.

CUR: ``PutReportDefinition`` and ``DescribeReportDefinitions``. Data Exports: ``CreateExport`` and
``ListExports``. Both services answer from us-east-1 only and keep one list per account; a new
export is ``HEALTHY`` (AWS marks it ``UNHEALTHY`` when delivery fails; not modelled). Pagination by ``MaxResults``/``NextToken``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.pagination import json_page
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

cur_handlers = Handlers(service="cur", signing_name="cur", moto_has_service=False)
exports_handlers = Handlers(
    service="bcm-data-exports", signing_name="bcm-data-exports", moto_has_service=False
)
DEFAULT_MAX_RESULTS = 5


@dataclass
class Exports:
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    exports: dict[str, dict[str, Any]] = field(default_factory=dict)


def _exports(state: SandboxState, account_id: str) -> Exports:
    return state.area(account_id, "billing-exports", Exports)


def _paged(request: AwsRequest, key: str, items: list[Any]) -> Response:
    return json_page(
        request,
        key,
        items,
        bad_page_error="ValidationException",
        default_max_results=DEFAULT_MAX_RESULTS,
    )


@cur_handlers.operation("PutReportDefinition")
def put_report_definition(request: AwsRequest, state: SandboxState) -> Response:
    definition = dict(request.json().get("ReportDefinition") or {})
    name = definition.get("ReportName", "")
    reports = _exports(state, request.account_id).reports
    if not name or not definition.get("S3Bucket"):
        return error_response(request, "ValidationException", "ReportName and S3Bucket required")
    if name in reports:
        return error_response(
            request, "DuplicateReportNameException", f"Report {name} already exists"
        )
    reports[name] = definition
    return json_response({})


@cur_handlers.operation("DescribeReportDefinitions")
def describe_report_definitions(request: AwsRequest, state: SandboxState) -> Response:
    return _paged(
        request, "ReportDefinitions", list(_exports(state, request.account_id).reports.values())
    )


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@exports_handlers.operation("CreateExport")
def create_export(request: AwsRequest, state: SandboxState) -> Response:
    export = request.json().get("Export") or {}
    name = export.get("Name", "")
    if not name or "DataQuery" not in export or "DestinationConfigurations" not in export:
        return error_response(
            request, "ValidationException", "Name, DataQuery and DestinationConfigurations required"
        )
    arn = f"arn:aws:bcm-data-exports:us-east-1:{request.account_id}:export/{name}"
    exports = _exports(state, request.account_id).exports
    now = _timestamp()
    exports[name] = {
        "ExportArn": arn,
        "ExportName": name,
        "ExportStatus": {"StatusCode": "HEALTHY", "CreatedAt": now, "LastUpdatedAt": now},
    }
    return json_response({"ExportArn": arn})


@exports_handlers.operation("ListExports")
def list_exports(request: AwsRequest, state: SandboxState) -> Response:
    return _paged(request, "Exports", list(_exports(state, request.account_id).exports.values()))
