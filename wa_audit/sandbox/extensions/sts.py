"""STS: AssumeRole as AWS decides it, which moto does not (it lets anyone assume any ARN).

AWS refuses unless the role exists in its account and the role's trust policy lets the caller's
account in (and, where the policy asks for one, with the right ``sts:ExternalId``). ``run --org``
depends on that answer, so the sandbox gives it; a granted request goes on to moto. With IAM
enforced, the caller's own policy must allow sts:AssumeRole on that role's ARN.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="sts", signing_name="sts")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def trusts(document: dict[str, Any], caller_account: str, external_id: str | None) -> bool:
    """Whether an Allow statement for sts:AssumeRole names the caller's account (or ``*``)."""
    for statement in _as_list(document.get("Statement", [])):
        actions = _as_list(statement.get("Action", []))
        if statement.get("Effect") != "Allow" or not {"sts:AssumeRole", "sts:*", "*"} & set(
            actions
        ):
            continue
        principal = statement.get("Principal", {})
        named = _as_list(principal.get("AWS", [])) if isinstance(principal, dict) else [principal]
        allowed = {"*", caller_account, f"arn:aws:iam::{caller_account}:root"}
        if not any(
            str(p) in allowed or str(p).startswith(f"arn:aws:iam::{caller_account}:") for p in named
        ):
            continue
        wanted = statement.get("Condition", {}).get("StringEquals", {}).get("sts:ExternalId")
        if wanted is None or external_id in _as_list(wanted):
            return True
    return False


def _role(request: AwsRequest) -> str:
    """AssumeRole is authorized on the role: a policy may allow it on one role name only."""
    return str(request.form().get("RoleArn", "*"))


@handlers.operation("AssumeRole", resource=_role)
def assume_role(request: AwsRequest, state: SandboxState) -> Response:
    from moto.iam.models import iam_backends

    form = request.form()
    arn = form.get("RoleArn", "")
    parts = arn.split(":")
    denied = error_response(
        request,
        "AccessDenied",
        f"User: arn:aws:iam::{request.account_id}:root is not authorized to perform: "
        f"sts:AssumeRole on resource: {arn}",
        status=403,
    )
    if len(parts) != 6 or not parts[5].startswith("role/"):
        return denied
    account, role_name = parts[4], parts[5].rsplit("/", 1)[-1]
    roles = iam_backends[account]["global"].roles.values()
    role = next((r for r in roles if r.name == role_name), None)
    if role is None:
        return denied
    document = json.loads(role.assume_role_policy_document or "{}")
    if not trusts(document, request.account_id, form.get("ExternalId")):
        return denied
    return request.forward()
