"""Service Quotas: moto 5.2 knows only the VPC defaults; the sandbox answers what wa-audit uses.

Quotas are per account and region: AWS defaults kept as data (``data/service_quotas.toml`` plus
moto's VPC list), applied values set by increase approvals or by a scenario, and increase requests
with AWS's statuses. Global quotas (IAM) exist only in the partition's home region, as on AWS.
"""

from __future__ import annotations

import base64
import binascii
import json
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox import ids
from wa_audit.sandbox.app import Handler, Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="service-quotas", signing_name="servicequotas")

OPEN_STATUSES = frozenset({"PENDING", "CASE_OPENED"})
MAX_RESULTS = 100
MAX_OPEN_REQUESTS = 20
"""The double's stand-in for AWS's limit on open requests per Region (QuotaExceededException)."""
NO_SERVICE = "The request failed because the specified service does not exist."
HOME_REGIONS = {"cn-": "cn-north-1", "us-gov-": "us-gov-west-1"}


@dataclass(frozen=True)
class KnownQuota:
    service: str
    service_name: str
    code: str
    name: str
    value: float
    adjustable: bool = True
    global_quota: bool = False
    unit: str = "None"
    usage_metric: dict[str, Any] | None = None


@cache
def known_quotas() -> dict[tuple[str, str], KnownQuota]:
    """AWS's default quotas by (service, code): our data plus moto's copy of the VPC list."""
    from moto.servicequotas.resources.default_quotas.vpc import VPC_DEFAULT_QUOTAS

    vpc_defaults: list[dict[str, Any]] = VPC_DEFAULT_QUOTAS

    raw = tomllib.loads(
        files("wa_audit.sandbox").joinpath("data", "service_quotas.toml").read_text("utf-8")
    )
    names: dict[str, str] = raw["services"]
    quotas = [
        KnownQuota(
            service=q["service"],
            service_name=names[q["service"]],
            code=q["code"],
            name=q["name"],
            value=float(q["value"]),
            adjustable=q.get("adjustable", True),
            global_quota=q.get("global", False),
            unit=q.get("unit", "None"),
            usage_metric=q.get("usage_metric"),
        )
        for q in raw["quotas"]
    ]
    quotas += [
        KnownQuota(
            service=q["ServiceCode"],
            service_name=q["ServiceName"],
            code=q["QuotaCode"],
            name=q["QuotaName"],
            value=float(q["Value"]),
            adjustable=q["Adjustable"],
            global_quota=q["GlobalQuota"],
            unit=q["Unit"],
        )
        for q in vpc_defaults
    ]
    return {(q.service, q.code): q for q in quotas}


@dataclass
class RequestedChange:
    id: str
    region: str
    quota: KnownQuota
    desired_value: float
    status: str
    created: datetime
    last_updated: datetime
    requester: str
    case_id: str | None = None


@dataclass
class ServiceQuotasAccount:
    applied: dict[tuple[str, str, str], float] = field(default_factory=dict)
    """(region, service, code) → value, for quotas raised from their default."""
    unlisted: set[tuple[str, str, str]] = field(default_factory=set)
    """Quotas whose applied value Service Quotas does not have (ListServiceQuotas omits them)."""
    requests: list[RequestedChange] = field(default_factory=list)


def account(state: SandboxState, account_id: str) -> ServiceQuotasAccount:
    return state.area(account_id, "servicequotas", ServiceQuotasAccount)


def home_region(region: str) -> str:
    return next(
        (home for prefix, home in HOME_REGIONS.items() if region.startswith(prefix)), "us-east-1"
    )


def applied_value(
    state: SandboxState, account_id: str, region: str, service: str, code: str
) -> float:
    """The quota's value for the account in the region: raised, or AWS's default."""
    default = known_quotas()[(service, code)].value
    return account(state, account_id).applied.get((region, service, code), default)


def set_applied_value(
    state: SandboxState, account_id: str, region: str, service: str, code: str, value: float
) -> None:
    """What an approved increase does; scenarios use it for accounts raised in the past."""
    if (service, code) not in known_quotas():
        raise KeyError(f"the sandbox knows no quota {service}/{code}")
    account(state, account_id).applied[(region, service, code)] = value


def set_request_status(state: SandboxState, account_id: str, request_id: str, status: str) -> None:
    """AWS moves requests along on its own; tests move them by hand. APPROVED applies the value."""
    for change in account(state, account_id).requests:
        if change.id == request_id:
            change.status = status
            change.last_updated = datetime.now(UTC)
            if status == "APPROVED":
                key = (change.region, change.quota.service, change.quota.code)
                account(state, account_id).applied[key] = change.desired_value
            return
    raise KeyError(request_id)


class _Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _arn(request: AwsRequest, quota: KnownQuota, *, with_account: bool) -> str:
    partition = "aws-cn" if request.region.startswith("cn-") else "aws"
    owner = request.account_id if with_account else ""
    return f"arn:{partition}:servicequotas:{request.region}:{owner}:{quota.service}/{quota.code}"


def _quota_body(
    request: AwsRequest, quota: KnownQuota, value: float, *, applied: bool
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ServiceCode": quota.service,
        "ServiceName": quota.service_name,
        "QuotaArn": _arn(request, quota, with_account=applied),
        "QuotaCode": quota.code,
        "QuotaName": quota.name,
        "Value": value,
        "Unit": quota.unit,
        "Adjustable": quota.adjustable,
        "GlobalQuota": quota.global_quota,
    }
    if quota.usage_metric:
        body["UsageMetric"] = quota.usage_metric
    if applied:
        body["QuotaAppliedAtLevel"] = "ACCOUNT"
    return body


def _service_quotas(request: AwsRequest, service: str) -> list[KnownQuota]:
    """The service's quotas in the request's region, or NoSuchResourceException."""
    found = [q for (s, _), q in known_quotas().items() if s == service]
    if not found:
        raise _Refused("NoSuchResourceException", NO_SERVICE)
    if all(q.global_quota for q in found) and request.region != home_region(request.region):
        raise _Refused("NoSuchResourceException", NO_SERVICE)
    return sorted(found, key=lambda q: q.code)


def _one_quota(request: AwsRequest, service: str, code: str) -> KnownQuota:
    quota = next((q for q in _service_quotas(request, service) if q.code == code), None)
    if quota is None:
        raise _Refused("NoSuchResourceException", f"The quota {code} does not exist for {service}.")
    return quota


def _is_listed(state: SandboxState, request: AwsRequest, quota: KnownQuota) -> bool:
    return (request.region, quota.service, quota.code) not in account(
        state, request.account_id
    ).unlisted


def _page(request: AwsRequest, items: list[Any], key: str) -> Response:
    """AWS-style pagination: MaxResults 1-100, an opaque NextToken, a bad token refused."""
    body = request.json()
    size = body.get("MaxResults", MAX_RESULTS)
    if not 1 <= size <= MAX_RESULTS:
        raise _Refused(
            "IllegalArgumentException", f"MaxResults must be between 1 and {MAX_RESULTS}."
        )
    start = 0
    if body.get("NextToken"):
        try:
            start = int(json.loads(base64.b64decode(body["NextToken"]))["offset"])
        except (binascii.Error, ValueError, KeyError, TypeError) as error:
            raise _Refused(
                "InvalidPaginationTokenException", "Invalid pagination token."
            ) from error
    answer: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        token = json.dumps({"offset": start + size}).encode()
        answer["NextToken"] = base64.b64encode(token).decode()
    return json_response(answer)


def _answering(handler: Handler) -> Handler:
    """Turn a refusal into AWS's error shape."""

    def answer(request: AwsRequest, state: SandboxState) -> Response:
        try:
            return handler(request, state)
        except _Refused as refused:
            return error_response(request, refused.code, str(refused))

    answer.__doc__ = handler.__doc__
    return answer


@handlers.operation("ListServiceQuotas")
@_answering
def list_service_quotas(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    quotas = [
        _quota_body(
            request,
            q,
            applied_value(state, request.account_id, request.region, q.service, q.code),
            applied=True,
        )
        for q in _service_quotas(request, body.get("ServiceCode", ""))
        if _is_listed(state, request, q) and body.get("QuotaCode") in (None, q.code)
    ]
    return _page(request, quotas, "Quotas")


@handlers.operation("ListAWSDefaultServiceQuotas")
@_answering
def list_default_quotas(request: AwsRequest, state: SandboxState) -> Response:
    quotas = [
        _quota_body(request, q, q.value, applied=False)
        for q in _service_quotas(request, request.json().get("ServiceCode", ""))
    ]
    return _page(request, quotas, "Quotas")


@handlers.operation("GetServiceQuota")
@_answering
def get_service_quota(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    quota = _one_quota(request, body.get("ServiceCode", ""), body.get("QuotaCode", ""))
    if not _is_listed(state, request, quota):
        raise _Refused("NoSuchResourceException", f"No applied value for {quota.code}.")
    value = applied_value(state, request.account_id, request.region, quota.service, quota.code)
    return json_response({"Quota": _quota_body(request, quota, value, applied=True)})


@handlers.operation("GetAWSDefaultServiceQuota")
@_answering
def get_default_quota(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    quota = _one_quota(request, body.get("ServiceCode", ""), body.get("QuotaCode", ""))
    return json_response({"Quota": _quota_body(request, quota, quota.value, applied=False)})


def _change_body(request: AwsRequest, change: RequestedChange) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Id": change.id,
        "ServiceCode": change.quota.service,
        "ServiceName": change.quota.service_name,
        "QuotaCode": change.quota.code,
        "QuotaName": change.quota.name,
        "DesiredValue": change.desired_value,
        "Status": change.status,
        "Created": change.created.timestamp(),
        "LastUpdated": change.last_updated.timestamp(),
        "Requester": change.requester,
        "QuotaArn": _arn(request, change.quota, with_account=True),
        "GlobalQuota": change.quota.global_quota,
        "Unit": change.quota.unit,
        "QuotaRequestedAtLevel": "ACCOUNT",
    }
    if change.case_id:
        body["CaseId"] = change.case_id
    return {k: v for k, v in body.items() if v is not None}


@handlers.operation("RequestServiceQuotaIncrease")
@_answering
def request_increase(request: AwsRequest, state: SandboxState) -> Response:
    """Validated as AWS does: adjustable, above the current value, one open request per quota."""
    body = request.json()
    quota = _one_quota(request, body.get("ServiceCode", ""), body.get("QuotaCode", ""))
    desired = float(body.get("DesiredValue", 0))
    current = applied_value(state, request.account_id, request.region, quota.service, quota.code)
    if not quota.adjustable:
        raise _Refused("IllegalArgumentException", f"The quota {quota.code} is not adjustable.")
    if desired <= current:
        raise _Refused(
            "IllegalArgumentException",
            f"The desired value {desired:g} must be greater than the current value {current:g}.",
        )
    books = account(state, request.account_id)
    open_here = [
        c for c in books.requests if c.region == request.region and c.status in OPEN_STATUSES
    ]
    if any(c.quota == quota for c in open_here):
        raise _Refused(
            "ResourceAlreadyExistsException",
            f"An open request for {quota.service}/{quota.code} already exists.",
        )
    if len(open_here) >= MAX_OPEN_REQUESTS:
        raise _Refused("QuotaExceededException", "You have too many open quota increase requests.")
    now = datetime.now(UTC)
    requester = json.dumps(
        {"accountId": request.account_id, "callerArn": f"arn:aws:iam::{request.account_id}:root"}
    )
    change = RequestedChange(
        id=ids.uuid4().replace("-", ""),
        region=request.region,
        quota=quota,
        desired_value=desired,
        status="PENDING",
        created=now,
        last_updated=now,
        requester=requester,
    )
    books.requests.append(change)
    return json_response({"RequestedQuota": _change_body(request, change)})


@handlers.operation("ListRequestedServiceQuotaChangeHistory")
@_answering
def list_requested_changes(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    service, status = body.get("ServiceCode"), body.get("Status")
    if service is not None:
        _service_quotas(request, service)
    changes = [
        _change_body(request, change)
        for change in account(state, request.account_id).requests
        if change.region == request.region
        and service in (None, change.quota.service)
        and status in (None, change.status)
    ]
    return _page(request, changes, "RequestedQuotas")


@handlers.operation("GetRequestedServiceQuotaChange")
@_answering
def get_requested_change(request: AwsRequest, state: SandboxState) -> Response:
    request_id = request.json().get("RequestId", "")
    for change in account(state, request.account_id).requests:
        if change.id == request_id and change.region == request.region:
            return json_response({"RequestedQuota": _change_body(request, change)})
    raise _Refused("NoSuchResourceException", f"No request {request_id}.")
