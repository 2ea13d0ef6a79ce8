"""ECS: moto keeps no deploymentConfiguration; AWS returns one for every service.

CreateService and UpdateService's deploymentConfiguration (circuit breaker, alarms) is remembered
per service ARN, and DescribeServices answers it, or AWS's default where none was given: for the
ECS (rolling) controller maximumPercent 200, minimumHealthyPercent 100 and the circuit breaker off
(botocore's ecs model, DeploymentConfiguration; ECS Developer Guide, rolling update deployments).
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="ecs", signing_name="ecs")

ROLLING_DEFAULT: dict[str, Any] = {
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
}


def _configurations(state: SandboxState, request: AwsRequest) -> dict[str, dict[str, Any]]:
    return state.area(request.account_id, f"ecs.deployment/{request.region}", dict)


def _remember(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    wanted = request.json().get("deploymentConfiguration")
    if response.status_code == 200 and wanted is not None:
        arn = json.loads(response.get_data())["service"]["serviceArn"]
        _configurations(state, request)[arn] = {**ROLLING_DEFAULT, **wanted}
    return response


handlers.operation("CreateService")(_remember)
handlers.operation("UpdateService")(_remember)


@handlers.operation("DescribeServices")
def describe_services(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code != 200:
        return response
    body = json.loads(response.get_data())
    known = _configurations(state, request)
    for service in body.get("services", []):
        if (service.get("deploymentController") or {}).get("type", "ECS") == "ECS":
            service["deploymentConfiguration"] = known.get(service["serviceArn"], ROLLING_DEFAULT)
    return json_response(body)
