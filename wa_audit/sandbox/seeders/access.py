"""The ``access`` section: who is granted what beyond the users and roles of ``iam``.

Customer-managed policies, groups, policies put on users directly, roles trusted by other accounts,
created through the IAM API; and IAM Access Analyzer unused-access analyzers, created through its
API, with the findings its analysis would report written into the sandbox state (no API writes
findings).
"""

from __future__ import annotations

import json
from typing import Any

from wa_audit.sandbox.extensions.accessanalyzer import add_finding
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder

ADMIN_STATEMENT = {"Effect": "Allow", "Action": "*", "Resource": "*"}


class PolicySpec(SectionModel):
    name: str
    actions: tuple[str, ...] = ("*",)
    resources: tuple[str, ...] = ("*",)


class GroupSpec(SectionModel):
    name: str
    members: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    """Names of this section's policies."""


class UserGrant(SectionModel):
    """Permissions put on a user directly (the user comes from the ``iam`` section)."""

    user: str
    policies: tuple[str, ...] = ()
    """Names of this section's policies, attached to the user."""
    inline_admin: str | None = None
    """Name of an inline policy allowing every action on every resource."""


class TrustedRole(SectionModel):
    name: str
    trusted_account: str
    external_id: str | None = None


class UnusedAccessFinding(SectionModel):
    resource: str
    """An ARN; ``{account}`` stands for the account ID."""
    resource_type: str
    finding_type: str


class UnusedAccessAnalyzer(SectionModel):
    region: str
    name: str
    findings: tuple[UnusedAccessFinding, ...] = ()


class AccessSection(SectionModel):
    policies: tuple[PolicySpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    user_grants: tuple[UserGrant, ...] = ()
    trusted_roles: tuple[TrustedRole, ...] = ()
    unused_access_analyzers: tuple[UnusedAccessAnalyzer, ...] = ()


def _document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _trust(role: TrustedRole) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{role.trusted_account}:root"},
        "Action": "sts:AssumeRole",
    }
    if role.external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": role.external_id}}
    return _document(statement)


def _seed_iam(section: AccessSection, env: SeedEnv) -> None:
    iam = env.client("iam")
    arns = {
        policy.name: iam.create_policy(
            PolicyName=policy.name,
            PolicyDocument=_document(
                {
                    "Effect": "Allow",
                    "Action": list(policy.actions),
                    "Resource": list(policy.resources),
                }
            ),
        )["Policy"]["Arn"]
        for policy in section.policies
    }
    for group in section.groups:
        iam.create_group(GroupName=group.name)
        for member in group.members:
            iam.add_user_to_group(GroupName=group.name, UserName=member)
        for name in group.policies:
            iam.attach_group_policy(GroupName=group.name, PolicyArn=arns[name])
    for grant in section.user_grants:
        for name in grant.policies:
            iam.attach_user_policy(UserName=grant.user, PolicyArn=arns[name])
        if grant.inline_admin:
            iam.put_user_policy(
                UserName=grant.user,
                PolicyName=grant.inline_admin,
                PolicyDocument=_document(ADMIN_STATEMENT),
            )
    for role in section.trusted_roles:
        iam.create_role(RoleName=role.name, AssumeRolePolicyDocument=_trust(role))


def seed_access(section: AccessSection, env: SeedEnv) -> None:
    _seed_iam(section, env)
    for analyzer in section.unused_access_analyzers:
        client = env.client("accessanalyzer", analyzer.region)
        arn = client.create_analyzer(analyzerName=analyzer.name, type="ACCOUNT_UNUSED_ACCESS")[
            "arn"
        ]
        for finding in analyzer.findings:
            add_finding(
                env.state,
                env.account_id,
                arn,
                resource=finding.resource.format(account=env.account_id),
                resource_type=finding.resource_type,
                finding_type=finding.finding_type,
            )


SEEDER = Seeder("access", AccessSection, seed_access)
