"""Secrets Manager: an RDS-managed master user secret rotates every 7 days from its creation
on AWS (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html), but
moto creates it with rotation off. ``ListSecrets`` and ``DescribeSecret`` say what AWS says."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="secretsmanager", signing_name="secretsmanager")
RDS_ROTATION_DAYS = 7


def _as_aws(entry: dict[str, Any]) -> None:
    if entry.get("OwningService") == "rds" and not entry.get("RotationEnabled"):
        entry["RotationEnabled"] = True
        entry["RotationRules"] = {"AutomaticallyAfterDays": RDS_ROTATION_DAYS}


def _edited(request: AwsRequest, members: str | None) -> Response:
    response = request.forward()
    if response.status_code != 200:
        return response
    body = json.loads(response.get_data())
    for entry in body.get(members, []) if members else [body]:
        _as_aws(entry)
    return json_response(body)


@handlers.operation("ListSecrets")
def list_secrets(request: AwsRequest, state: SandboxState) -> Response:
    return _edited(request, "SecretList")


@handlers.operation("DescribeSecret")
def describe_secret(request: AwsRequest, state: SandboxState) -> Response:
    return _edited(request, None)
