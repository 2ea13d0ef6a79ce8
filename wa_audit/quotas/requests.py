"""Filing quota increases: the only code in wa-audit that writes to AWS.

One write, on an explicit, confirmed plan (:mod:`wa_audit.quotas.plan`):
``servicequotas:RequestServiceQuotaIncrease``. Its IAM action is kept out of the read-only audit
policy (``wa-audit policy --quota-requests`` adds it). Every request filed, or whose answer could
not be read (so it may have been filed), is recorded in a JSON file. A quota Service Quotas cannot raise is not filed: the Support API "doesn't support requesting
service limit increases" (CreateCase, botocore's support model), so the plan tells the user what to
submit in the Support Center instead (:func:`support_center_url`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    PartialCredentialsError,
)

from wa_audit.aws import EXPIRED_CODES, AwsSession, Identity, describe_client_error
from wa_audit.errors import CannotAuditError, UsageError
from wa_audit.facts.store import ACCESS_DENIED_CODES
from wa_audit.formats import write_atomically
from wa_audit.output import ensure_directory
from wa_audit.quotas.plan import Action, PlannedRequest
from wa_audit.reasons import error_answer, error_code, http_status, one_line

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
    UNKNOWN = "unknown"
    """AWS may have filed it: the request went out and its answer could not be read."""


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


NOT_SENT = (
    EndpointConnectionError,  # ConnectTimeoutError too: no connection, so no request
    NoCredentialsError,
    PartialCredentialsError,
    ParamValidationError,
)
"""Errors raised before the request reached AWS: nothing can have been filed."""
CHECK_HISTORY = "check `wa-audit quotas history`"
UNKNOWN_STATUS = "UNKNOWN"


def _refusal(plan: PlannedRequest, error: ClientError, action: str) -> Result:
    code = error_code(error)
    if code in EXPIRED_CODES:
        raise CannotAuditError(describe_client_error(error)) from error
    if code in ACCESS_DENIED_CODES:
        detail = f"access denied: grant {action} (see wa-audit policy --quota-requests)"
    else:
        detail = f"AWS refused it: {error_answer(error)}"
    return Result(plan, Outcome.REFUSED, detail)


def _unknown(plan: PlannedRequest, region: str, why: str) -> Result:
    detail = f"outcome unknown ({why}) — {CHECK_HISTORY}"
    return Result(plan, Outcome.UNKNOWN, detail, status=UNKNOWN_STATUS, api_region=region)


def _file_increase(session: AwsSession, plan: PlannedRequest, region: str) -> Result:
    """One request; an answer that cannot be read leaves the outcome unknown, never "refused".

    A server error (HTTP 5xx), a broken or cut answer, a read timeout or a dropped connection
    come after the request went out: AWS may have filed it, so the user is sent to the history.
    """
    client = session.client("service-quotas", region)
    try:
        answer = client.request_service_quota_increase(
            ServiceCode=plan.service_code, QuotaCode=plan.quota_code, DesiredValue=plan.requested
        )
        request_id, status = answer["RequestedQuota"]["Id"], answer["RequestedQuota"]["Status"]
    except ClientError as error:
        if error_code(error) == "ResourceAlreadyExistsException":
            detail = "AWS already has an open request for this quota; nothing filed"
            return Result(plan, Outcome.ALREADY_OPEN, detail, api_region=region)
        if (http_status(error) or 0) >= 500 or not error_code(error):
            return _unknown(plan, region, f"{WRITE_ACTIONS[0]}: {error_answer(error)}")
        return _refusal(plan, error, WRITE_ACTIONS[0])
    except NOT_SENT as error:
        return Result(plan, Outcome.REFUSED, f"could not reach AWS: {one_line(str(error))}")
    except BotoCoreError as error:
        return _unknown(plan, region, one_line(str(error)))
    except (KeyError, TypeError) as error:
        return _unknown(plan, region, f"{WRITE_ACTIONS[0]}: unexpected response: no {error}")
    return Result(
        plan,
        Outcome.FILED,
        f"request {request_id} {status}",
        request_id=request_id,
        status=status,
        case_id=answer["RequestedQuota"].get("CaseId"),
        api_region=region,
    )


def execute_plan(
    session: AwsSession, identity: Identity, plans: Iterable[PlannedRequest]
) -> list[Result]:
    """File what the plan says to file, one quota at a time; a refusal never stops the rest."""
    results = []
    for plan in plans:
        region = plan.api_region(identity.home_region)
        if plan.action is Action.FILE:
            results.append(_file_increase(session, plan, region))
        else:
            results.append(unfiled(plan))
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


class RequestRecord:
    """``quota-requests.json``: every request filed, and every one whose outcome is unknown.

    Opened before anything is filed, so a folder that cannot be written or a record file that
    cannot be read is a usage error (exit 2) while nothing has happened yet, not a crash after
    AWS has taken the requests.
    """

    def __init__(self, path: Path, existing: list[Any]) -> None:
        self.path = path
        self.existing = existing

    @classmethod
    def open(cls, output_dir: Path) -> RequestRecord:
        ensure_directory(output_dir)
        path = output_dir / RECORD_FILE
        if not path.exists():
            return cls(path, [])
        try:
            existing = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise UsageError(f"cannot read {path}: {one_line(str(error))}") from error
        if not isinstance(existing, list):
            raise UsageError(f"cannot add to {path}: it is not a JSON list of requests")
        return cls(path, existing)

    def add(self, results: Iterable[Result], identity: Identity) -> Path | None:
        """Append the requests filed or of unknown outcome; None if there are none."""
        kept = [r for r in results if r.outcome in (Outcome.FILED, Outcome.UNKNOWN)]
        if not kept:
            return None
        now = datetime.now(UTC)
        records = self.existing + [_record(result, identity, now) for result in kept]
        write_atomically(self.path, json.dumps(records, indent=2) + "\n")
        return self.path
