"""AWS Health API: moto has no backend for it.

Events, their affected entities and the catalogue of event types, read-only as on AWS (AWS itself
creates Health events; seeders put them in the sandbox's state with :func:`add_event`). Answers have
AWS's shapes and pagination; newest events come first (by last update). Accounts without Business
support or above get ``SubscriptionRequiredException``, as on AWS. Filters implemented: event ARNs,
event type codes, services, regions, availability zones, categories, status codes, entity ARNs and
values, and the three time ranges; the rest (tags, actionabilities, personas) are refused rather
than ignored, so a caller relying on them notices.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox import ids
from wa_audit.sandbox.app import Handler, Handlers
from wa_audit.sandbox.extensions.support import subscription_required, support_subscription
from wa_audit.sandbox.pagination import InvalidToken, page
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="health", signing_name="health", moto_has_service=False)
DEFAULT_PAGE = 10
_UNSUPPORTED_FILTERS = frozenset({"tags", "actionabilities", "personas"})
# A few event types of the thousands AWS lists, enough for a believable catalogue.
CATALOGUE = (
    ("EC2", "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED", "scheduledChange"),
    ("EC2", "AWS_EC2_INSTANCE_STOP_SCHEDULED", "scheduledChange"),
    ("EC2", "AWS_EC2_OPERATIONAL_ISSUE", "issue"),
    ("RDS", "AWS_RDS_MAINTENANCE_SCHEDULED", "scheduledChange"),
    ("RDS", "AWS_RDS_OPERATIONAL_ISSUE", "issue"),
    ("LAMBDA", "AWS_LAMBDA_RUNTIME_DEPRECATION_SCHEDULED", "accountNotification"),
    ("S3", "AWS_S3_OPERATIONAL_ISSUE", "issue"),
)


@dataclass
class AffectedEntity:
    arn: str
    value: str
    status_code: str
    last_updated_time: datetime


@dataclass
class HealthEvent:
    arn: str
    service: str
    event_type_code: str
    category: str
    region: str
    start_time: datetime
    last_updated_time: datetime
    status_code: str
    scope: str = "ACCOUNT_SPECIFIC"
    end_time: datetime | None = None
    availability_zone: str | None = None
    entities: list[AffectedEntity] = field(default_factory=list)


@dataclass
class HealthEvents:
    events: list[HealthEvent] = field(default_factory=list)


def health_events(state: SandboxState, account_id: str) -> HealthEvents:
    """Event ARNs carry their region, so one list per account keeps regions apart."""
    return state.area(account_id, "health.events", HealthEvents)


def add_event(
    state: SandboxState,
    account_id: str,
    *,
    service: str,
    event_type_code: str,
    category: str,
    region: str,
    start_time: datetime,
    status_code: str = "open",
    end_time: datetime | None = None,
    entity_values: Sequence[str] = (),
) -> HealthEvent:
    """Record an event as AWS Health would publish it (what seeders use: AWS has no write API)."""
    updated = max(t for t in (start_time, end_time) if t is not None)
    event = HealthEvent(
        arn=f"arn:aws:health:{region}::event/{service}/{event_type_code}/"
        f"{event_type_code}_{ids.alphanumeric(12).upper()}",
        service=service,
        event_type_code=event_type_code,
        category=category,
        region=region,
        start_time=start_time,
        end_time=end_time,
        last_updated_time=updated,
        status_code=status_code,
    )
    event.entities = [
        AffectedEntity(
            arn=f"arn:aws:health:{region}:{account_id}:entity/{ids.alphanumeric(20)}",
            value=value,
            status_code="RESOLVED" if status_code == "closed" else "IMPAIRED",
            last_updated_time=updated,
        )
        for value in entity_values
    ]
    health_events(state, account_id).events.append(event)
    return event


def _requires_business_support(handler: Handler) -> Handler:
    def guarded(request: AwsRequest, state: SandboxState) -> Response:
        if not support_subscription(state, request.account_id).has_api:
            return subscription_required(
                request,
                "Your account must have a Business, Enterprise On-Ramp, or Enterprise Support "
                "plan to use the AWS Health API.",
            )
        return handler(request, state)

    return guarded


def _in_range(moment: datetime | None, ranges: list[dict[str, float]]) -> bool:
    if moment is None:
        return False
    stamp = moment.timestamp()
    return any(r.get("from", float("-inf")) <= stamp <= r.get("to", float("inf")) for r in ranges)


_EVENT_FIELDS: dict[str, Callable[[HealthEvent], str | None]] = {
    "eventArns": lambda e: e.arn,
    "eventTypeCodes": lambda e: e.event_type_code,
    "services": lambda e: e.service,
    "regions": lambda e: e.region,
    "availabilityZones": lambda e: e.availability_zone,
    "eventTypeCategories": lambda e: e.category,
    "eventStatusCodes": lambda e: e.status_code,
}
_EVENT_TIMES: dict[str, Callable[[HealthEvent], datetime | None]] = {
    "startTimes": lambda e: e.start_time,
    "endTimes": lambda e: e.end_time,
    "lastUpdatedTimes": lambda e: e.last_updated_time,
}


def _event_matches(event: HealthEvent, wanted: dict[str, Any]) -> bool:
    for key, values in wanted.items():
        if key in _EVENT_FIELDS and _EVENT_FIELDS[key](event) not in values:
            return False
        if key in _EVENT_TIMES and not _in_range(_EVENT_TIMES[key](event), values):
            return False
    if "entityArns" in wanted and not {e.arn for e in event.entities} & set(wanted["entityArns"]):
        return False
    values = wanted.get("entityValues")
    return values is None or bool({e.value for e in event.entities} & set(values))


def _paged(
    request: AwsRequest, items: Sequence[Any], key: str, render: Callable[[Any], dict[str, Any]]
) -> Response:
    body = request.json()
    try:
        chosen, token = page(items, body.get("nextToken"), body.get("maxResults") or DEFAULT_PAGE)
    except InvalidToken:
        return error_response(request, "InvalidPaginationToken", "Invalid pagination token.")
    answer: dict[str, Any] = {key: [render(item) for item in chosen]}
    if token:
        answer["nextToken"] = token
    return json_response(answer)


def _refusing_unsupported_filters(handler: Handler) -> Handler:
    """Filters the sandbox does not implement are refused rather than silently ignored."""

    def guarded(request: AwsRequest, state: SandboxState) -> Response:
        refused = sorted(_UNSUPPORTED_FILTERS & set(request.json().get("filter", {})))
        if refused:
            message = f"The wa-audit sandbox does not implement the {', '.join(refused)} filter(s)"
            return error_response(request, "UnsupportedFilter", message)
        return handler(request, state)

    return guarded


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment else None


def _render_event(event: HealthEvent) -> dict[str, Any]:
    rendered = {
        "arn": event.arn,
        "service": event.service,
        "eventTypeCode": event.event_type_code,
        "eventTypeCategory": event.category,
        "region": event.region,
        "availabilityZone": event.availability_zone,
        "startTime": _epoch(event.start_time),
        "endTime": _epoch(event.end_time),
        "lastUpdatedTime": _epoch(event.last_updated_time),
        "statusCode": event.status_code,
        "eventScopeCode": event.scope,
    }
    return {k: v for k, v in rendered.items() if v is not None}


@handlers.operation("DescribeEvents")
@_requires_business_support
@_refusing_unsupported_filters
def describe_events(request: AwsRequest, state: SandboxState) -> Response:
    wanted = request.json().get("filter", {})
    events = [
        e for e in health_events(state, request.account_id).events if _event_matches(e, wanted)
    ]
    events.sort(key=lambda e: e.last_updated_time, reverse=True)
    return _paged(request, events, "events", _render_event)


@handlers.operation("DescribeEventTypes")
@_requires_business_support
@_refusing_unsupported_filters
def describe_event_types(request: AwsRequest, state: SandboxState) -> Response:
    wanted = request.json().get("filter", {})
    seen = {
        (e.service, e.event_type_code, e.category)
        for e in health_events(state, request.account_id).events
    }
    types = sorted(set(CATALOGUE) | seen)
    fields = {"services": 0, "eventTypeCodes": 1, "eventTypeCategories": 2}
    chosen = [t for t in types if all(t[i] in wanted[k] for k, i in fields.items() if k in wanted)]
    return _paged(
        request,
        chosen,
        "eventTypes",
        lambda t: {"service": t[0], "code": t[1], "category": t[2]},
    )


@handlers.operation("DescribeAffectedEntities")
@_requires_business_support
@_refusing_unsupported_filters
def describe_affected_entities(request: AwsRequest, state: SandboxState) -> Response:
    wanted = request.json().get("filter", {})
    arns = wanted.get("eventArns") or []
    values = wanted.get("entityValues")
    statuses = wanted.get("statusCodes")
    found = [
        (event, entity)
        for event in health_events(state, request.account_id).events
        if event.arn in arns
        for entity in event.entities
        if (values is None or entity.value in values)
        and (statuses is None or entity.status_code in statuses)
    ]
    return _paged(
        request,
        found,
        "entities",
        lambda pair: {
            "entityArn": pair[1].arn,
            "eventArn": pair[0].arn,
            "entityValue": pair[1].value,
            "awsAccountId": request.account_id,
            "lastUpdatedTime": _epoch(pair[1].last_updated_time),
            "statusCode": pair[1].status_code,
        },
    )
