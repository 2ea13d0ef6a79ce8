"""Who may do what in IAM: users, groups, roles and customer-managed policies in one paginated call.

``GetAccountAuthorizationDetails`` with the ``User``, ``Group``, ``Role`` and ``LocalManagedPolicy``
filters returns every principal with its inline policies and attachments, and every customer-managed
policy with its versions, so the IAM checks need no per-principal calls. AWS-managed policies are
left out (they are AWS's, hundreds of them, and the same in every account). Policy documents come
back URL-encoded; botocore decodes them to dicts, and a string is decoded here in case it did not.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

FILTERS = ["User", "Group", "Role", "LocalManagedPolicy"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class InlinePolicy(_Model):
    name: str
    document: dict[str, Any]


class Principal(_Model):
    """A user, group or role with what is attached to it directly."""

    kind: str
    """``user``, ``group`` or ``role``."""
    name: str
    arn: str
    inline_policies: tuple[InlinePolicy, ...] = ()
    attached_policy_arns: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    """A user's groups (by name)."""
    trust_policy: dict[str, Any] | None = None
    """A role's trust (assume-role) policy."""
    path: str = "/"


class ManagedPolicy(_Model):
    """A customer-managed policy and its default version's document."""

    name: str
    arn: str
    attachment_count: int
    document: dict[str, Any] | None


class AuthorizationDetails(_Model):
    users: tuple[Principal, ...]
    groups: tuple[Principal, ...]
    roles: tuple[Principal, ...]
    policies: tuple[ManagedPolicy, ...]


def policy_document(raw: Any) -> dict[str, Any]:
    """A policy document as a dict, whether botocore decoded it or not."""
    if isinstance(raw, dict):
        return raw
    decoded = json.loads(unquote(str(raw)))
    if not isinstance(decoded, dict):
        raise ValueError("a policy document is not a JSON object")
    return decoded


def _inline(raw: list[dict[str, Any]]) -> tuple[InlinePolicy, ...]:
    return tuple(
        InlinePolicy(name=p["PolicyName"], document=policy_document(p["PolicyDocument"]))
        for p in raw
    )


def _principal(kind: str, raw: dict[str, Any], inline_key: str) -> Principal:
    name_key = {"user": "UserName", "group": "GroupName", "role": "RoleName"}[kind]
    trust = raw.get("AssumeRolePolicyDocument")
    return Principal(
        kind=kind,
        name=raw[name_key],
        arn=raw["Arn"],
        path=raw.get("Path", "/"),
        inline_policies=_inline(raw.get(inline_key, [])),
        attached_policy_arns=tuple(p["PolicyArn"] for p in raw.get("AttachedManagedPolicies", [])),
        groups=tuple(raw.get("GroupList", [])),
        trust_policy=policy_document(trust) if trust is not None else None,
    )


def _policy(raw: dict[str, Any]) -> ManagedPolicy:
    default = next((v for v in raw.get("PolicyVersionList", []) if v.get("IsDefaultVersion")), None)
    return ManagedPolicy(
        name=raw.get("PolicyName") or raw["Arn"].rsplit("/", 1)[-1],
        arn=raw["Arn"],
        attachment_count=raw.get("AttachmentCount", 0),
        document=policy_document(default["Document"]) if default else None,
    )


def _pages(ctx: FetchContext) -> Iterator[dict[str, Any]]:
    paginator = ctx.client("iam").get_paginator("get_account_authorization_details")
    yield from paginator.paginate(Filter=FILTERS)


@fact(
    "iam.authorization_details",
    regional=False,
    permissions=["iam:GetAccountAuthorizationDetails"],
)
def authorization_details(ctx: FetchContext) -> AuthorizationDetails:
    users: list[Principal] = []
    groups: list[Principal] = []
    roles: list[Principal] = []
    policies: list[ManagedPolicy] = []
    for page in _pages(ctx):
        users += [_principal("user", u, "UserPolicyList") for u in page.get("UserDetailList", [])]
        groups += [
            _principal("group", g, "GroupPolicyList") for g in page.get("GroupDetailList", [])
        ]
        roles += [_principal("role", r, "RolePolicyList") for r in page.get("RoleDetailList", [])]
        policies += [_policy(p) for p in page.get("Policies", [])]
    return AuthorizationDetails(
        users=tuple(users), groups=tuple(groups), roles=tuple(roles), policies=tuple(policies)
    )
