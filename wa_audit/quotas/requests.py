"""Filing quota increases: the only code in wa-audit that writes to AWS.

One write, on an explicit, confirmed plan (:mod:`wa_audit.quotas.plan`):
``servicequotas:RequestServiceQuotaIncrease``. Its IAM action is kept out of the read-only audit
policy (``wa-audit policy --quota-requests`` adds it). Every request filed is recorded in a JSON
file. A quota Service Quotas cannot raise is not filed: the Support API "doesn't support requesting
service limit increases" (CreateCase, botocore's support model), so the plan tells the user what to
submit in the Support Center instead (:func:`support_center_url`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from wa_audit.aws import EXPIRED_CODES, AwsSession, Identity, describe_client_error
from wa_audit.errors import CannotAuditError
from wa_audit.facts.store import ACCESS_DENIED_CODES
from wa_audit.quotas.plan import Action, PlannedRequest

WRITE_ACTIONS = ("servicequotas:RequestServiceQuotaIncrease",)
RECORD_FILE = "quota-requests.json"
_CONSOLE = {
    "aws": "https://console.aws.amazon.com",
    "aws-cn": "https://console.amazonaws.cn",
    "aws-us-gov": "https://console.amazonaws-us-gov.com",
}


def support_center_url(partition: str) -> str:
    """The Support Center's form for a service limit increase, open to every support plan."""
    console = _CONSOLE.get(partition, _CONSOLE["aws"])
    return f"{console}/support/home#/case/create?issueType=service-limit-increase"


class Outcome(StrEnum):
    FILED = "filed"
    ALREADY_OPEN = "already-open"
    REFUSED = "refused"


@dataclass(frozen=True)
class Result:
    plan: PlannedRequest
    outcome: Outcome
    detail: str
    request_id: str | None = None
    status: str | None = None
    case_id: str | None = None
    """The Support case AWS opened for the request itself, if it did (status CASE_OPENED)."""
    api_region: str | None = None


def _refusal(plan: PlannedRequest, error: ClientError, action: str) -> Result:
    code = error.response.get("Error", {}).get("Code", "Unknown")
    message = error.response.get("Error", {}).get("Message", "")
    if code in EXPIRED_CODES:
        raise CannotAuditError(describe_client_error(error)) from error
    if code in ACCESS_DENIED_CODES:
        detail = f"access denied: grant {action} (see wa-audit policy --quota-requests)"
    else:
        detail = f"AWS refused it: {code}: {message}".rstrip(": ")
    return Result(plan, Outcome.REFUSED, detail)


def _file_increase(session: AwsSession, plan: PlannedRequest, region: str) -> Result:
    client = session.client("service-quotas", region)
    try:
        answer = client.request_service_quota_increase(
            ServiceCode=plan.service_code, QuotaCode=plan.quota_code, DesiredValue=plan.requested
        )["RequestedQuota"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ResourceAlreadyExistsException":
            detail = "AWS already has an open request for this quota; nothing filed"
            return Result(plan, Outcome.ALREADY_OPEN, detail, api_region=region)
        return _refusal(plan, error, WRITE_ACTIONS[0])
    return Result(
        plan,
        Outcome.FILED,
        f"request {answer['Id']} {answer['Status']}",
        request_id=answer["Id"],
        status=answer["Status"],
        case_id=answer.get("CaseId"),
        api_region=region,
    )


def execute_plan(
    session: AwsSession, identity: Identity, plans: Iterable[PlannedRequest]
) -> list[Result]:
    """File what the plan says to file, one quota at a time; a refusal never stops the rest."""
    results = []
    for plan in plans:
        region = plan.api_region(identity.home_region)
        try:
            if plan.action is Action.FILE:
                results.append(_file_increase(session, plan, region))
            else:
                results.append(unfiled(plan))
        except BotoCoreError as error:
            results.append(Result(plan, Outcome.REFUSED, f"could not reach AWS: {error}"))
    return results


def unfiled(plan: PlannedRequest) -> Result:
    """The outcome of a plan that files nothing (already open, or refused before asking AWS)."""
    outcome = Outcome.ALREADY_OPEN if plan.action is Action.ALREADY_OPEN else Outcome.REFUSED
    request = plan.open_request
    return Result(
        plan,
        outcome,
        plan.reason,
        request_id=request.id if request else None,
        status=request.status if request else None,
    )


def _record(result: Result, identity: Identity, when: datetime) -> dict[str, Any]:
    plan = result.plan
    return {
        "filed_at": when.isoformat(),
        "account_id": identity.account_id,
        "region": plan.region,
        "api_region": result.api_region,
        "service_code": plan.service_code,
        "quota_code": plan.quota_code,
        "quota_name": plan.quota_name,
        "current_value": plan.current,
        "usage": plan.usage,
        "desired_value": plan.requested,
        "kind": "service-quotas",
        "request_id": result.request_id,
        "status": result.status,
        "case_id": result.case_id,
    }


def record_filed(results: Iterable[Result], identity: Identity, output_dir: Path) -> Path | None:
    """Append every request filed to ``quota-requests.json``; None if none."""
    filed = [r for r in results if r.outcome is Outcome.FILED]
    if not filed:
        return None
    path = output_dir / RECORD_FILE
    output_dir.mkdir(parents=True, exist_ok=True)
    existing: list[dict[str, Any]] = json.loads(path.read_text("utf-8")) if path.exists() else []
    now = datetime.now(UTC)
    records = existing + [_record(result, identity, now) for result in filed]
    with tempfile.NamedTemporaryFile("w", dir=output_dir, delete=False, encoding="utf-8") as out:
        json.dump(records, out, indent=2)
        out.write("\n")
    os.replace(out.name, path)
    return path
