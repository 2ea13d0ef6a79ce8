"""AWS User Notifications: moto has no backend for it.

What wa-audit reads (``ListNotificationConfigurations``, ``ListEventRules``, ``ListChannels``) and
the calls that build a configuration as a user would (``CreateNotificationConfiguration``,
``CreateEventRule``, ``AssociateChannel``). The service is global (homed in us-east-1), so state is
per account, not per region; each event rule lists the regions it listens in. As on AWS, a new event
rule reports ``CREATING`` in every region, then ``ACTIVE``; a configuration is ``ACTIVE`` when all
its rules are, ``INACTIVE`` without any. Not modelled: notification hubs (AWS requires one before
the first configuration), e-mail contacts' activation, managed (AWS-owned) configurations.
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.pagination import InvalidToken, page
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response, raw_path
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="notifications", signing_name="notifications", moto_has_service=False)
DEFAULT_PAGE = 20
_NAME = re.compile(r"[A-Za-z0-9_\-]{1,64}")
_SOURCE = re.compile(r"aws\.([a-z0-9\-])+")
_CHANNEL = re.compile(
    r"arn:aws:(chatbot|consoleapp|notifications-contacts):[a-zA-Z0-9-]*:[0-9]{12}:"
    r"[a-zA-Z0-9-_.@]+/[a-zA-Z0-9/_.@:-]+"
)


@dataclass
class EventRule:
    arn: str
    configuration_arn: str
    source: str
    event_type: str
    event_pattern: str
    regions: list[str]
    created: datetime


@dataclass
class Configuration:
    arn: str
    name: str
    description: str
    aggregation: str
    created: datetime
    rules: list[EventRule] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "ACTIVE" if self.rules else "INACTIVE"


@dataclass
class UserNotifications:
    configurations: dict[str, Configuration] = field(default_factory=dict)


def user_notifications(state: SandboxState, account_id: str) -> UserNotifications:
    return state.area(account_id, "notifications", UserNotifications)


def _resource_id() -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(27))


def _epoch(moment: datetime) -> float:
    return moment.timestamp()


def _error(request: AwsRequest, code: str, message: str, status: int) -> Response:
    return error_response(request, code, message, status=status)


def _not_found(request: AwsRequest, arn: str) -> Response:
    return _error(request, "ResourceNotFoundException", f"Resource {arn} not found.", 404)


def _paged(request: AwsRequest, items: list[Any], key: str) -> Response:
    args = request.raw.args
    try:
        chosen, token = page(
            items, args.get("nextToken"), int(args.get("maxResults", DEFAULT_PAGE))
        )
    except InvalidToken:
        return _error(request, "ValidationException", "Invalid nextToken.", 400)
    answer: dict[str, Any] = {key: chosen}
    if token:
        answer["nextToken"] = token
    return json_response(answer)


@handlers.operation("CreateNotificationConfiguration")
def create_notification_configuration(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    name, description = body.get("name", ""), body.get("description", "")
    if not _NAME.fullmatch(name) or len(description) > 256:
        return _error(request, "ValidationException", "Invalid name or description.", 400)
    store = user_notifications(state, request.account_id)
    if any(c.name == name for c in store.configurations.values()):
        message = f"A NotificationConfiguration named {name} already exists."
        return _error(request, "ConflictException", message, 409)
    arn = f"arn:aws:notifications::{request.account_id}:configuration/{_resource_id()}"
    configuration = Configuration(
        arn=arn,
        name=name,
        description=description,
        aggregation=body.get("aggregationDuration", "NONE"),
        created=datetime.now(UTC),
    )
    store.configurations[arn] = configuration
    return json_response({"arn": arn, "status": configuration.status}, status=201)


@handlers.operation("CreateEventRule")
def create_event_rule(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    configuration_arn = body.get("notificationConfigurationArn", "")
    configuration = user_notifications(state, request.account_id).configurations.get(
        configuration_arn
    )
    if configuration is None:
        return _not_found(request, configuration_arn)
    regions = list(body.get("regions") or [])
    if not _SOURCE.fullmatch(body.get("source", "")) or not regions:
        return _error(request, "ValidationException", "Invalid source or regions.", 400)
    rule = EventRule(
        arn=f"{configuration_arn}/rule/{_resource_id()}",
        configuration_arn=configuration_arn,
        source=body["source"],
        event_type=body.get("eventType", ""),
        event_pattern=body.get("eventPattern", ""),
        regions=regions,
        created=datetime.now(UTC),
    )
    configuration.rules.append(rule)
    creating = {region: {"status": "CREATING", "reason": "Creating"} for region in regions}
    return json_response(
        {
            "arn": rule.arn,
            "notificationConfigurationArn": configuration_arn,
            "statusSummaryByRegion": creating,
        },
        status=201,
    )


@handlers.operation("AssociateChannel")
def associate_channel(request: AwsRequest, state: SandboxState) -> Response:
    channel_arn = unquote(raw_path(request.raw).rsplit("/channels/associate/", 1)[-1])
    configuration_arn = request.json().get("notificationConfigurationArn", "")
    configuration = user_notifications(state, request.account_id).configurations.get(
        configuration_arn
    )
    if configuration is None:
        return _not_found(request, configuration_arn)
    if not _CHANNEL.fullmatch(channel_arn):
        return _error(request, "ValidationException", f"Invalid channel ARN {channel_arn}.", 400)
    if channel_arn not in configuration.channels:
        configuration.channels.append(channel_arn)
    return json_response({}, status=201)


def _summary(configuration: Configuration) -> dict[str, Any]:
    return {
        "arn": configuration.arn,
        "name": configuration.name,
        "description": configuration.description,
        "status": configuration.status,
        "creationTime": _epoch(configuration.created),
        "aggregationDuration": configuration.aggregation,
        "subtype": "ACCOUNT",
    }


@handlers.operation("ListNotificationConfigurations")
def list_notification_configurations(request: AwsRequest, state: SandboxState) -> Response:
    args = request.raw.args
    source, channel, status = (
        args.get("eventRuleSource"),
        args.get("channelArn"),
        args.get("status"),
    )
    found = [
        c
        for c in user_notifications(state, request.account_id).configurations.values()
        if (source is None or any(rule.source == source for rule in c.rules))
        and (channel is None or channel in c.channels)
        and (status is None or c.status == status)
        and args.get("subtype", "ACCOUNT") == "ACCOUNT"
    ]
    found.sort(key=lambda c: c.created, reverse=True)
    return _paged(request, [_summary(c) for c in found], "notificationConfigurations")


def _list_of_configuration(
    request: AwsRequest,
    state: SandboxState,
    key: str,
    items: Callable[[Configuration], list[Any]],
) -> Response:
    """A listing of one configuration (``?notificationConfigurationArn=``), or 404 without it."""
    arn = request.raw.args.get("notificationConfigurationArn", "")
    configuration = user_notifications(state, request.account_id).configurations.get(arn)
    if configuration is None:
        return _not_found(request, arn)
    return _paged(request, items(configuration), key)


def _rule_summary(rule: EventRule, account_id: str) -> dict[str, Any]:
    return {
        "arn": rule.arn,
        "notificationConfigurationArn": rule.configuration_arn,
        "creationTime": _epoch(rule.created),
        "source": rule.source,
        "eventType": rule.event_type,
        "eventPattern": rule.event_pattern,
        "regions": rule.regions,
        "managedRules": [
            f"arn:aws:events:{region}:{account_id}:rule/"
            f"AWSUserNotificationsManagedRule-{rule.arn.rsplit('/', 1)[-1][:12]}"
            for region in rule.regions
        ],
        "statusSummaryByRegion": {
            region: {"status": "ACTIVE", "reason": "Active"} for region in rule.regions
        },
    }


@handlers.operation("ListEventRules")
def list_event_rules(request: AwsRequest, state: SandboxState) -> Response:
    return _list_of_configuration(
        request,
        state,
        "eventRules",
        lambda c: [_rule_summary(rule, request.account_id) for rule in c.rules],
    )


@handlers.operation("ListChannels")
def list_channels(request: AwsRequest, state: SandboxState) -> Response:
    return _list_of_configuration(request, state, "channels", lambda c: list(c.channels))
