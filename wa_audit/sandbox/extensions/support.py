"""AWS Support: the account's support plan, ``DescribeSeverityLevels`` that reveals it, and cases.

moto has a Support backend without ``DescribeSeverityLevels``, and its ``DescribeCases`` moves each
case to the next status and severity on every read and never checks the plan; here cases are kept
in the sandbox's state, read without side effects, paged by ``maxResults``/``nextToken`` as
botocore's support model pages them, and resolved ones listed only with ``includeResolvedCases``. AWS has no API that sets a plan, so
the plan lives in the sandbox's state (seeders set it). As on AWS, Basic and Developer accounts get
``SubscriptionRequiredException`` from the Support API (and from the Health API, which reads the
same plan); Business Support+ and Business answer low to urgent; Enterprise Support, Unified
Operations and Enterprise On-Ramp add critical (the plans of botocore's support model).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from werkzeug.wrappers import Response

from wa_audit.sandbox import ids
from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.pagination import InvalidToken, page
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="support", signing_name="support")

PlanName = Literal[
    "basic",
    "developer",
    "business",
    "business-support-plus",
    "enterprise-on-ramp",
    "enterprise",
    "unified-operations",
]
SUBSCRIPTION_REQUIRED = "SubscriptionRequiredException"
_WITHOUT_API: frozenset[str] = frozenset({"basic", "developer"})
_BUSINESS_LEVELS = (("low", "Low"), ("normal", "Normal"), ("high", "High"), ("urgent", "Urgent"))
_CRITICAL = (("critical", "Critical"),)
_WITH_CRITICAL: frozenset[str] = frozenset(
    {"enterprise-on-ramp", "enterprise", "unified-operations"}
)


@dataclass
class SupportSubscription:
    """A new AWS account starts on Basic support."""

    plan: PlanName = "basic"

    @property
    def has_api(self) -> bool:
        """Business and above: the Support API, the Health API, all Trusted Advisor checks."""
        return self.plan not in _WITHOUT_API


def support_subscription(state: SandboxState, account_id: str) -> SupportSubscription:
    return state.area(account_id, "support.plan", SupportSubscription)


def subscription_required(request: AwsRequest, message: str) -> Response:
    return error_response(request, SUBSCRIPTION_REQUIRED, message)


@handlers.operation("DescribeSeverityLevels")
def describe_severity_levels(request: AwsRequest, state: SandboxState) -> Response:
    subscription = support_subscription(state, request.account_id)
    if not subscription.has_api:
        return subscription_required(
            request, "AWS Premium Support Subscription is required to use this service."
        )
    levels = _BUSINESS_LEVELS + (_CRITICAL if subscription.plan in _WITH_CRITICAL else ())
    return json_response({"severityLevels": [{"code": c, "name": n} for c, n in levels]})


NO_API_MESSAGE = "AWS Premium Support Subscription is required to use this service."
CASES_PAGE = 100  # DescribeCases' largest maxResults (10 to 100)


@dataclass
class SupportCase:
    """A case as ``DescribeCases`` returns it (without communications)."""

    case_id: str
    display_id: str
    subject: str
    status: str
    service_code: str
    category_code: str
    severity_code: str
    submitted_by: str
    time_created: datetime
    language: str = "en"
    cc_email_addresses: list[str] = field(default_factory=list)

    def render(self) -> dict[str, Any]:
        return {
            "caseId": self.case_id,
            "displayId": self.display_id,
            "subject": self.subject,
            "status": self.status,
            "serviceCode": self.service_code,
            "categoryCode": self.category_code,
            "severityCode": self.severity_code,
            "submittedBy": self.submitted_by,
            "timeCreated": self.time_created.strftime("%Y-%m-%dT%H:%M:%S.") + "000Z",
            "ccEmailAddresses": self.cc_email_addresses,
            "language": self.language,
        }


@dataclass
class SupportCases:
    cases: list[SupportCase] = field(default_factory=list)


def support_cases(state: SandboxState, account_id: str) -> SupportCases:
    return state.area(account_id, "support.cases", SupportCases)


def add_case(
    state: SandboxState,
    account_id: str,
    *,
    subject: str,
    service_code: str,
    category_code: str,
    status: str = "opened",
    severity_code: str = "low",
    time_created: datetime | None = None,
    submitted_by: str = "owner@example.com",
) -> SupportCase:
    """Record a case as the Support Center would (a limit increase form, say): what tests seed."""
    created = time_created or datetime.now(UTC)
    case = SupportCase(
        case_id=f"case-{account_id}-{created:%Y}-{ids.alphanumeric(16).lower()}",
        display_id=str(1_000_000_000 + len(support_cases(state, account_id).cases)),
        subject=subject,
        status=status,
        service_code=service_code,
        category_code=category_code,
        severity_code=severity_code,
        submitted_by=submitted_by,
        time_created=created,
    )
    support_cases(state, account_id).cases.append(case)
    return case


@handlers.operation("CreateCase")
def create_case(request: AwsRequest, state: SandboxState) -> Response:
    if not support_subscription(state, request.account_id).has_api:
        return subscription_required(request, NO_API_MESSAGE)
    body = request.json()
    case = add_case(
        state,
        request.account_id,
        subject=body["subject"],
        service_code=body.get("serviceCode", "general-info"),
        category_code=body.get("categoryCode", "other"),
        severity_code=body.get("severityCode", "low"),
    )
    return json_response({"caseId": case.case_id})


@handlers.operation("DescribeCases")
def describe_cases(request: AwsRequest, state: SandboxState) -> Response:
    if not support_subscription(state, request.account_id).has_api:
        return subscription_required(request, NO_API_MESSAGE)
    body = request.json()
    wanted = set(body.get("caseIdList") or ())
    listed = [
        case
        for case in support_cases(state, request.account_id).cases
        if (not wanted or case.case_id in wanted)
        and (body.get("includeResolvedCases") or case.status != "resolved")
        and body.get("displayId") in (None, case.display_id)
    ]
    try:
        chosen, token = page(listed, body.get("nextToken"), body.get("maxResults") or CASES_PAGE)
    except InvalidToken:
        return error_response(request, "InvalidParameterValueException", "Invalid nextToken.")
    answer: dict[str, Any] = {"cases": [case.render() for case in chosen]}
    if token:
        answer["nextToken"] = token
    return json_response(answer)
