"""The sandbox's Well-Architected Tool workloads: CreateWorkload, ListWorkloads, GetWorkload and
DeleteWorkload (answers, milestones and lens reviews are in :mod:`wellarchitected`).

As on AWS (botocore's ``wellarchitected`` 2020-03-31 model and the API reference): workload names
are unique per account and region, "spaces and capitalization are ignored when checking for
uniqueness" (the model's WorkloadName documentation; ConflictException); CreateWorkload needs
ReviewOwner and AwsRegions or NonAwsRegions although the model marks neither required
(https://docs.aws.amazon.com/wellarchitected/latest/APIReference/API_CreateWorkload.html);
``ClientRequestToken`` makes creation idempotent; an unknown workload id is
ResourceNotFoundException. How AWS matches ListWorkloads' ``WorkloadNamePrefix`` is not documented;
here it is a prefix of the name with capitals ignored and spaces not (which is why wa-audit lists
every workload and compares names itself).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions.wa_lens import ENVIRONMENTS, LENS_ALIAS, LENS_ARN, risk_counts
from wa_audit.sandbox.extensions.wellarchitected import (
    Workload,
    epoch,
    error,
    invalid,
    paged,
    question_risks,
    wa_tool,
    workload_at,
    workload_summary,
)
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(
    service="wellarchitected", signing_name="wellarchitected", moto_has_service=False
)
_COPIED = ("Description", "Environment", "AwsRegions", "NonAwsRegions", "ReviewOwner", "Notes")


def _normalized(name: str) -> str:
    return "".join(name.split()).lower()


def _create_errors(body: dict[str, Any]) -> str | None:
    name, description = body.get("WorkloadName", ""), body.get("Description", "")
    if not 3 <= len(name) <= 100:
        return "WorkloadName must be 3 to 100 characters."
    if not 3 <= len(description) <= 250:
        return "Description must be 3 to 250 characters."
    if body.get("Environment") not in ENVIRONMENTS:
        return f"Environment must be one of {sorted(ENVIRONMENTS)}."
    if not 3 <= len(body.get("ReviewOwner") or "") <= 255:
        return "ReviewOwner is required (3 to 255 characters)."
    if not body.get("AwsRegions") and not body.get("NonAwsRegions"):
        return "Either AwsRegions, NonAwsRegions, or both must be specified."
    lenses = body.get("Lenses") or []
    if not lenses or any(lens not in (LENS_ALIAS, LENS_ARN) for lens in lenses):
        return f"Lenses must name available lenses; this sandbox offers {LENS_ALIAS!r}."
    return None


@handlers.operation("CreateWorkload")
def create_workload(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    if (problem := _create_errors(body)) is not None:
        return invalid(problem)
    tool = wa_tool(state, request.account_id, request.region)
    token = body.get("ClientRequestToken")
    with tool.lock:
        for workload in tool.workloads.values():
            if token and workload.token == token:
                return json_response(
                    {"WorkloadId": workload.workload_id, "WorkloadArn": workload.arn}
                )
            if _normalized(workload.name) == _normalized(body["WorkloadName"]):
                return error(
                    "ConflictException",
                    f"Workload name {body['WorkloadName']} is already in use.",
                    409,
                    ResourceId=workload.workload_id,
                    ResourceType="WORKLOAD",
                )
        workload_id = secrets.token_hex(16)
        arn = (
            f"arn:aws:wellarchitected:{request.region}:{request.account_id}:workload/{workload_id}"
        )
        tool.workloads[workload_id] = Workload(
            workload_id,
            arn,
            body["WorkloadName"],
            request.account_id,
            body,
            datetime.now(UTC),
            token,
        )
    return json_response({"WorkloadId": workload_id, "WorkloadArn": arn})


@handlers.operation("ListWorkloads")
def list_workloads(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    prefix = (body.get("WorkloadNamePrefix") or "").lower()
    tool = wa_tool(state, request.account_id, request.region)
    with tool.lock:
        matching = sorted(
            (w for w in tool.workloads.values() if w.name.lower().startswith(prefix)),
            key=lambda w: w.updated,
            reverse=True,
        )
        summaries = [workload_summary(w) for w in matching]
    found = paged(summaries, body.get("NextToken"), body.get("MaxResults", 50))
    if isinstance(found, Response):
        return found
    page, token = found
    return json_response({"WorkloadSummaries": page, **({"NextToken": token} if token else {})})


@handlers.operation("GetWorkload")
def get_workload(request: AwsRequest, state: SandboxState) -> Response:
    """botocore's Workload: the properties it was created with, its owner and risk counts."""
    workload = workload_at(request, state)
    if isinstance(workload, Response):
        return workload
    with wa_tool(state, request.account_id, request.region).lock:
        copied = {key: workload.body[key] for key in _COPIED if key in workload.body}
        risks = risk_counts([r for _, r in question_risks(workload.answers)])
    body = {
        "WorkloadId": workload.workload_id,
        "WorkloadArn": workload.arn,
        "WorkloadName": workload.name,
        **copied,
        "UpdatedAt": epoch(workload.updated),
        "ImprovementStatus": "NOT_STARTED",
        "RiskCounts": risks,
        "Lenses": list(workload.body["Lenses"]),
        "Owner": workload.owner,
    }
    return json_response({"Workload": body})


@handlers.operation("DeleteWorkload")
def delete_workload(request: AwsRequest, state: SandboxState) -> Response:
    """Gone with its answers and milestones; an empty 200 as AWS answers (the model has no
    output)."""
    workload = workload_at(request, state)
    if isinstance(workload, Response):
        return workload
    if not request.raw.args.get("ClientRequestToken"):
        return invalid("ClientRequestToken is required.")
    tool = wa_tool(state, request.account_id, request.region)
    with tool.lock:
        tool.workloads.pop(workload.workload_id, None)
    return Response(b"", status=200)
