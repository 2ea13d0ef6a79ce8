"""Security checks of who is granted what: permissions on users instead of groups, administrator
policies, and roles other accounts can assume without an external ID. All read from the one
``GetAccountAuthorizationDetails`` answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from wa_audit.context import CheckContext
from wa_audit.facts.accessanalyzer import UnusedAccessFinding, unused_access
from wa_audit.facts.iam_authorization import Principal, authorization_details
from wa_audit.facts.organizations import Organization, organization
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree, noun, plural

IAM_DOCS = "https://docs.aws.amazon.com/IAM/latest/UserGuide"
_ACCOUNT_IN_PRINCIPAL = re.compile(r"^(?:arn:[^:]+:iam::)?(\d{12})(?::|$)")
ASSUME_ACTIONS = frozenset({"*", "sts:*", "sts:assumerole"})
ORG_CONDITION_KEYS = frozenset({"aws:principalorgid", "aws:principalorgpaths"})


def as_list(value: Any) -> list[Any]:
    """IAM allows a single value or a list wherever a list is allowed."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(document: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [s for s in as_list((document or {}).get("Statement")) if isinstance(s, dict)]


def grants_everything(document: dict[str, Any] | None) -> bool:
    """An Allow of every action (``*``) on every resource (``*``): full administrator access."""
    return any(
        s.get("Effect") == "Allow"
        and any(a in ("*", "*:*") for a in as_list(s.get("Action")))
        and "*" in as_list(s.get("Resource"))
        for s in statements(document)
    )


@check(
    id="sec.iam-groups",
    pillar=Pillar.SECURITY,
    title="IAM users get their permissions from groups",
    fail_title="IAM users have policies attached directly",
    severity=Severity.LOW,
    best_practices=["SEC02-BP06", "COST02-BP04"],
    remediation=(
        "Put users in IAM groups (or better, give people access through IAM Identity Center) "
        "and attach policies to the groups; remove the users' inline and attached policies."
    ),
    docs_url=f"{IAM_DOCS}/id_groups.html",
    facts=[authorization_details],
)
def iam_groups(ctx: CheckContext) -> Iterator[Finding]:
    users = ctx.fact(authorization_details).users
    if not users:
        yield ctx.not_applicable(ctx.account_arn, "The account has no IAM users.")
        return
    direct = [u for u in users if u.inline_policies or u.attached_policy_arns]
    for user in direct:
        inline = [p.name for p in user.inline_policies]
        evidence = {
            "user": user.name,
            "inline_policies": inline,
            "attached_policies": list(user.attached_policy_arns),
            "groups": list(user.groups),
        }
        parts = [f"{len(inline)} inline"] if inline else []
        if user.attached_policy_arns:
            parts.append(f"{len(user.attached_policy_arns)} attached")
        message = (
            f"IAM user {user.name} has policies of its own ({' and '.join(parts)}): its "
            "permissions are managed one user at a time instead of through a group."
        )
        yield ctx.failed(user.arn, message, evidence=evidence)
    if not direct:
        yield ctx.passed(
            ctx.account_arn,
            f"None of the {len(users)} IAM users has a policy of its own.",
            evidence={"users": len(users)},
        )


@check(
    id="sec.iam-admin-policies",
    pillar=Pillar.SECURITY,
    title="No customer-managed or inline policy grants every action on every resource",
    fail_title="Customer-managed or inline policies grant every action on every resource",
    severity=Severity.HIGH,
    best_practices=["SEC03-BP02"],
    remediation=(
        "Replace the policy with one that allows only the actions and resources the principal "
        "needs (IAM Access Analyzer can generate one from CloudTrail activity); keep full "
        "administrator access to a few break-glass roles using the AWS managed "
        "AdministratorAccess policy."
    ),
    docs_url=f"{IAM_DOCS}/best-practices.html#grant-least-privilege",
    facts=[authorization_details],
)
def iam_admin_policies(ctx: CheckContext) -> Iterator[Finding]:
    details = ctx.fact(authorization_details)
    found = 0
    for policy in details.policies:
        if not grants_everything(policy.document):
            continue
        found += 1
        evidence = {"policy": policy.name, "attachments": policy.attachment_count}
        if policy.attachment_count:
            message = (
                f"Customer-managed policy {policy.name} allows every action on every resource "
                f"and is attached to {plural(policy.attachment_count, 'principal')}."
            )
            yield ctx.failed(policy.arn, message, evidence=evidence)
        else:
            message = (
                f"Customer-managed policy {policy.name} allows every action on every resource; "
                "it is attached to nothing yet, but anyone may attach it."
            )
            yield ctx.warned(policy.arn, message, evidence=evidence)
    for principal in (*details.users, *details.groups, *details.roles):
        for inline in principal.inline_policies:
            if not grants_everything(inline.document):
                continue
            found += 1
            message = (
                f"Inline policy {inline.name} of IAM {principal.kind} {principal.name} allows "
                "every action on every resource."
            )
            evidence = {"principal": principal.name, "kind": principal.kind, "policy": inline.name}
            yield ctx.failed(principal.arn, message, evidence=evidence)
    if not found:
        inline_count = sum(
            len(p.inline_policies) for p in (*details.users, *details.groups, *details.roles)
        )
        yield ctx.passed(
            ctx.account_arn,
            f"None of the {len(details.policies)} customer-managed and {inline_count} inline policies "
            "allows every action on every resource.",
        )


def _trusted_accounts(statement: dict[str, Any]) -> set[str]:
    """Account IDs (or ``*``) an Allow statement lets assume the role."""
    if statement.get("Effect") != "Allow":
        return set()
    if not any(str(a).lower() in ASSUME_ACTIONS for a in as_list(statement.get("Action"))):
        return set()
    principal = statement.get("Principal")
    values = ["*"] if principal == "*" else as_list((principal or {}).get("AWS"))
    accounts = set()
    for value in map(str, values):
        if value == "*":
            accounts.add("*")
        elif match := _ACCOUNT_IN_PRINCIPAL.match(value):
            accounts.add(match.group(1))
    return accounts


def _condition_keys(statement: dict[str, Any]) -> set[str]:
    conditions = statement.get("Condition") or {}
    return {key.lower() for by_key in conditions.values() for key in (by_key or {})}


def third_party_trusts(
    ctx: CheckContext, role: Principal, own: frozenset[str] = frozenset()
) -> dict[str, list[str]]:
    """Other accounts the role trusts, by whether an sts:ExternalId condition guards them;
    ``own`` are accounts of the caller's organization known as such (not third parties)."""
    unguarded: set[str] = set()
    guarded: set[str] = set()
    for statement in statements(role.trust_policy):
        others = _trusted_accounts(statement) - {ctx.account_id} - own
        keys = _condition_keys(statement)
        if not others or keys & ORG_CONDITION_KEYS:
            continue  # principals of the caller's own organization are not third parties
        (guarded if "sts:externalid" in keys else unguarded).update(others)
    return {"without_external_id": sorted(unguarded), "with_external_id": sorted(guarded)}


@check(
    id="sec.iam-third-party-roles",
    pillar=Pillar.SECURITY,
    title="Roles other accounts assume require an external ID",
    fail_title="Roles other accounts assume require no external ID",
    severity=Severity.MEDIUM,
    best_practices=["SEC03-BP09", "SEC03-BP08"],
    remediation=(
        "Add a Condition with StringEquals sts:ExternalId (the unique ID the third party gives "
        "you) to the statement that trusts the other account, and trust only that account's "
        "specific role rather than its root or everyone."
    ),
    docs_url=f"{IAM_DOCS}/id_roles_common-scenarios_third-party.html",
    facts=[authorization_details, organization],
)
def iam_third_party_roles(ctx: CheckContext) -> Iterator[Finding]:
    # Every member account has OrganizationAccountAccessRole trusting the management account,
    # which is no third party: an external ID guards against other customers of a vendor.
    # (A member cannot list its sibling accounts; only the management account is known.)
    membership: Organization = ctx.fact(organization)
    own = frozenset(filter(None, [membership.management_account_id]))
    cross_account = 0
    for role in ctx.fact(authorization_details).roles:
        trusts = third_party_trusts(ctx, role, own)
        if not (trusts["without_external_id"] or trusts["with_external_id"]):
            continue
        cross_account += 1
        evidence = {"role": role.name, **trusts}
        unguarded = trusts["without_external_id"]
        if "*" in unguarded:
            message = f"Role {role.name} trusts any AWS principal (*) without an external ID."
            yield ctx.failed(role.arn, message, evidence=evidence)
        elif unguarded:
            message = (
                f"Role {role.name} trusts {noun(len(unguarded), 'account')} {', '.join(unguarded)} without an "
                "sts:ExternalId condition: a third party's other customers could get it to "
                "act on this account (the confused deputy problem)."
            )
            yield ctx.failed(role.arn, message, evidence=evidence)
        else:
            message = f"Role {role.name} requires an external ID from the accounts it trusts."
            yield ctx.passed(role.arn, message, evidence=evidence)
    if not cross_account:
        yield ctx.not_applicable(
            ctx.account_arn, "No IAM role trusts a principal of another account."
        )


UNUSED_WORDS = {
    "UnusedIAMRole": "the role is unused",
    "UnusedIAMUserAccessKey": "an access key is unused",
    "UnusedIAMUserPassword": "the console password is unused",
    "UnusedPermission": "it has permissions it does not use",
}


@check(
    id="sec.unused-access",
    pillar=Pillar.SECURITY,
    title="IAM Access Analyzer reports no unused access",
    fail_title="IAM Access Analyzer reports unused access",
    severity=Severity.MEDIUM,
    best_practices=["SEC03-BP04", "SEC03-BP06"],
    remediation=(
        "Review each finding: delete unused roles, access keys and passwords, and remove the "
        "unused permissions (Access Analyzer suggests a narrowed policy); archive a finding only "
        "for access that is kept on purpose."
    ),
    docs_url=f"{IAM_DOCS}/access-analyzer-findings-view.html",
    facts=[unused_access],
)
def unused_access_findings(ctx: CheckContext) -> Iterator[Finding]:
    by_region = {region: ctx.fact(unused_access, region) for region in ctx.regions}
    analyzers = [a.arn for found in by_region.values() for a in found.analyzers]
    if not analyzers:
        yield ctx.not_applicable(
            ctx.account_arn,
            "No unused-access analyzer in the audited regions: IAM Access Analyzer's unused "
            "access analysis is a paid, opt-in feature, so there is nothing to read.",
            evidence={"regions": list(ctx.regions)},
        )
        return
    by_resource: dict[str, list[UnusedAccessFinding]] = {}
    for found in by_region.values():
        for item in found.findings:
            by_resource.setdefault(item.resource or item.id, []).append(item)
    for resource, items in sorted(by_resource.items()):
        kinds = sorted({i.finding_type or "unknown" for i in items})
        words = "; ".join(UNUSED_WORDS.get(kind, kind) for kind in kinds)
        evidence = {"finding_types": kinds, "finding_ids": sorted({i.id for i in items})}
        yield ctx.failed(resource, f"{resource}: {words}.", evidence=evidence)
    if not by_resource:
        yield ctx.passed(
            ctx.account_arn,
            f"{plural(len(analyzers), 'unused-access analyzer')} {agree(len(analyzers), 'reports', 'report')} no active finding.",
            evidence={"analyzers": analyzers},
        )
