"""CloudWatch: global dashboards, and the composite alarms moto lacks.

- "All dashboards in your account are global, not region-specific" (CloudWatch API reference,
  PutDashboard), so ListDashboards in any region lists them all. After moto stores a dashboard (or
  deletes one) in the request's region, every region of the partition shares that region's
  dashboards, merged with any put elsewhere before.
- ``PutCompositeAlarm`` is missing. Composite alarms are kept per account and region and answered
  by ``DescribeAlarms`` when ``AlarmTypes`` asks for them (without it AWS returns metric alarms
  only), in AWS's ``CompositeAlarm`` shape; ``DeleteAlarms`` deletes them too. Not modelled: rule
  evaluation (they stay in INSUFFICIENT_DATA) and action suppression.
"""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="cloudwatch", signing_name="monitoring")


def _share(request: AwsRequest) -> None:
    from moto.cloudwatch.models import cloudwatch_backends
    from moto.utilities.utils import get_partition

    partition = get_partition(request.region)
    regions = boto3.session.Session().get_available_regions("cloudwatch", partition_name=partition)
    backends: Any = cloudwatch_backends[request.account_id]
    shared = backends[request.region].dashboards
    for region in regions:
        backend = backends[region]
        if backend.dashboards is not shared:
            for name, dashboard in backend.dashboards.items():
                shared.setdefault(name, dashboard)
            backend.dashboards = shared


def _global(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code == 200:
        _share(request)
    return response


handlers.operation("PutDashboard")(_global)
handlers.operation("DeleteDashboards")(_global)


def _composites(state: SandboxState, request: AwsRequest) -> dict[str, dict[str, Any]]:
    by_region: dict[str, dict[str, dict[str, Any]]] = state.area(
        request.account_id, "cloudwatch.composite_alarms", dict
    )
    return by_region.setdefault(request.region, {})


@handlers.operation("PutCompositeAlarm")
def put_composite_alarm(request: AwsRequest, state: SandboxState) -> Response:
    body = request.json()
    name = body["AlarmName"]
    now = time.time()
    _composites(state, request)[name] = {
        "AlarmName": name,
        "AlarmArn": f"arn:aws:cloudwatch:{request.region}:{request.account_id}:alarm:{name}",
        "AlarmRule": body["AlarmRule"],
        "AlarmDescription": body.get("AlarmDescription", ""),
        "ActionsEnabled": body.get("ActionsEnabled", True),
        "AlarmActions": body.get("AlarmActions", []),
        "OKActions": body.get("OKActions", []),
        "InsufficientDataActions": body.get("InsufficientDataActions", []),
        "StateValue": "INSUFFICIENT_DATA",
        "StateReason": "Unchecked: Initial alarm creation",
        "StateUpdatedTimestamp": now,
        "StateTransitionedTimestamp": now,
        "AlarmConfigurationUpdatedTimestamp": now,
    }
    return json_response({})


@handlers.operation("DescribeAlarms")
def describe_alarms(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code != 200:
        return response
    asked = request.json()
    types = asked.get("AlarmTypes") or ["MetricAlarm"]
    names = set(asked.get("AlarmNames") or [])
    prefix = asked.get("AlarmNamePrefix", "")
    answer = json.loads(response.get_data() or b"{}")
    if "MetricAlarm" not in types:
        answer["MetricAlarms"] = []
    answer["CompositeAlarms"] = [
        alarm
        for name, alarm in _composites(state, request).items()
        if "CompositeAlarm" in types and (not names or name in names) and name.startswith(prefix)
    ]
    response.set_data(json.dumps(answer).encode())
    return response


@handlers.operation("DeleteAlarms")
def delete_alarms(request: AwsRequest, state: SandboxState) -> Response:
    """moto deletes the metric alarms among the names and skips the others, as AWS does."""
    composites = _composites(state, request)
    for name in request.json().get("AlarmNames", []):
        composites.pop(name, None)
    return request.forward()
