"""Organization-wide security checks, answered in the management account.

They run in every audit like any check; in a standalone or member account they are NOT_APPLICABLE
with the reason, so a ``run --org`` (or ``wa-audit merge``) finds their verdicts in the
management account's results and shows them once for the whole organization.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from wa_audit.context import CheckContext
from wa_audit.facts.cloudtrail import trails
from wa_audit.facts.config import aggregators
from wa_audit.facts.organizations import (
    Organization,
    ServiceControlPolicy,
    delegated_administrators,
    organization,
    service_control_policies,
)
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

ORG_DOCS = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services.html"
DELEGATED_SERVICES = {
    "guardduty.amazonaws.com": "GuardDuty",
    "securityhub.amazonaws.com": "Security Hub",
}
CONFIG_PRINCIPALS = frozenset({"config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"})


def not_management(ctx: CheckContext) -> Finding | None:
    """NOT_APPLICABLE unless this is the organization's management account."""
    membership: Organization = ctx.fact(organization)
    if not membership.in_organization:
        return ctx.not_applicable(ctx.account_arn, "The account is not in an organization.")
    if membership.management_account_id != ctx.account_id:
        return ctx.not_applicable(
            ctx.account_arn,
            f"Organization-wide: assessed in the management account "
            f"{membership.management_account_id}.",
        )
    return None


@check(
    id="sec.org-trail",
    pillar=Pillar.SECURITY,
    title="An organization trail logs every account",
    fail_title="No organization trail logs every account",
    severity=Severity.HIGH,
    best_practices=["SEC04-BP01", "SEC04-BP02"],
    remediation=(
        "Create a multi-region organization trail in the management account (or the CloudTrail "
        "delegated administrator) so every member account's activity is logged centrally."
    ),
    docs_url="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html",
    facts=[organization, trails],
)
def organization_trail(ctx: CheckContext) -> Iterator[Finding]:
    if (skip := not_management(ctx)) is not None:
        yield skip
        return
    found = [t for t in ctx.fact(trails) if t.organization_trail]
    working = [t for t in found if t.multi_region and t.logging]
    if working:
        trail = working[0]
        yield ctx.passed(trail.arn, f"Organization trail {trail.name} logs every region.")
    elif found:
        trail = found[0]
        gap = "is not logging" if not trail.logging else "covers one region only"
        yield ctx.failed(trail.arn, f"Organization trail {trail.name} {gap}.")
    else:
        yield ctx.failed(ctx.account_arn, "No organization trail: each account logs on its own.")


@check(
    id="sec.org-delegated-admins",
    pillar=Pillar.SECURITY,
    title="Security services are run by a delegated administrator",
    fail_title="Security services have no delegated administrator",
    severity=Severity.MEDIUM,
    best_practices=["SEC01-BP01", "SEC04-BP02"],
    remediation=(
        "Register a security tooling account as delegated administrator for GuardDuty and "
        "Security Hub, and aggregate AWS Config organization-wide (a delegated administrator or "
        "an organization aggregator)."
    ),
    docs_url=ORG_DOCS,
    facts=[organization, delegated_administrators, aggregators],
)
def delegated_admins(ctx: CheckContext) -> Iterator[Finding]:
    """One finding per service, so each gap is its own line to fix."""
    if (skip := not_management(ctx)) is not None:
        yield skip
        return
    by_principal: dict[str, list[str]] = {}
    for admin in ctx.fact(delegated_administrators):
        for principal in admin.service_principals:
            by_principal.setdefault(principal, []).append(admin.account_id)
    for principal, label in DELEGATED_SERVICES.items():
        admins = by_principal.get(principal, [])
        evidence = {"service_principal": principal, "delegated_administrators": admins}
        if admins:
            message = f"{label} is administered by account {', '.join(admins)}."
            yield ctx.passed(principal, message, evidence=evidence)
        else:
            message = f"{label} has no delegated administrator: findings stay in each account."
            yield ctx.failed(principal, message, evidence=evidence)
    yield _config_aggregation(ctx, by_principal)


def _config_aggregation(ctx: CheckContext, by_principal: dict[str, list[str]]) -> Finding:
    admins = sorted({a for p in CONFIG_PRINCIPALS for a in by_principal.get(p, [])})
    org_aggregators = [
        f"{region}/{aggregator.name}"
        for region in ctx.regions
        for aggregator in ctx.fact(aggregators, region=region)
        if aggregator.organization_wide
    ]
    evidence = {"delegated_administrators": admins, "organization_aggregators": org_aggregators}
    if admins or org_aggregators:
        where = f"delegated to {', '.join(admins)}" if admins else org_aggregators[0]
        return ctx.passed(
            "config.amazonaws.com", f"AWS Config is aggregated ({where}).", evidence=evidence
        )
    return ctx.failed(
        "config.amazonaws.com",
        "AWS Config has no delegated administrator and no organization aggregator.",
        evidence=evidence,
    )


# Condition operators on aws:PrincipalArn, which AWS puts in the context of every signed request
# (IAM User Guide, "AWS global condition context keys"). ``...IfExists`` only changes what happens
# when the key is absent, so for a signed request it is the operator itself. StringEquals compares
# literally (a `*` in its value matches only a `*`); ArnEquals and ArnLike both match each of the
# six ARN components with `*` and `?` (IAM User Guide, "Condition operators",
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
POSITIVE_OPERATORS = frozenset({"StringEquals", "StringLike", "ArnEquals", "ArnLike"})
NEGATIVE_OPERATORS = frozenset({"StringNotEquals", "StringNotLike", "ArnNotEquals", "ArnNotLike"})
PRINCIPAL_ARN = "aws:principalarn"  # condition key names are case-insensitive
ANY_ACCOUNT = "#" * 12
"""Stands for every account: only a wildcard (or ``${aws:PrincipalAccount}``) matches it."""


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _glob(pattern: str) -> re.Pattern[str]:
    """IAM's wildcards: `*` any run of characters, `?` one character, everything else literal."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


def _matches(operator: str, value: str, arn: str) -> bool:
    """Whether the condition value matches ``arn`` under a positive operator (IfExists cut)."""
    value = value.replace("${aws:PrincipalAccount}", ANY_ACCOUNT)
    if operator == "StringEquals":
        return value == arn
    if operator == "StringLike":
        return _glob(value).fullmatch(arn) is not None
    wanted, actual = value.split(":", 5), arn.split(":", 5)
    return len(wanted) == len(actual) and all(
        _glob(w).fullmatch(a) is not None for w, a in zip(wanted, actual, strict=True)
    )


def _could_name_a_root(operator: str, value: str) -> bool:
    """Whether an excepted value could match some account's root user (whose ARN ends ``:root``)."""
    last = value.rsplit(":", 1)[-1]
    if operator == "StringNotEquals":
        return last == "root"
    return _glob(last).fullmatch("root") is not None


def _conditions(statement: dict[str, Any]) -> Iterator[tuple[str, str, list[Any]]]:
    block = statement.get("Condition", {})
    for operator, keys in block.items() if isinstance(block, dict) else ():
        for key, values in keys.items() if isinstance(keys, dict) else [("", [])]:
            yield operator, key, _as_list(values)


def _denies_every_root(statement: dict[str, Any], root: str) -> bool:
    """Every condition of the statement is on aws:PrincipalArn and holds for every account's root
    user, and one of them names it (a Deny without conditions is not about root users)."""
    named = False
    for operator, key, values in _conditions(statement):
        base = operator.removesuffix("IfExists")
        if key.lower() != PRINCIPAL_ARN:
            return False
        if base in POSITIVE_OPERATORS:
            if not any(_matches(base, str(value), root) for value in values):
                return False
            named = True
        elif base not in NEGATIVE_OPERATORS or any(
            _could_name_a_root(base, str(value)) for value in values
        ):
            return False
    return named


def denies_root(policy: ServiceControlPolicy, partition: str) -> bool:
    """A Deny of every action on every resource that holds for the root user of every account:
    ``aws:PrincipalArn`` like ``arn:<partition>:iam::*:root``, and no other condition.

    A condition on another key, an exception that could name a root user (StringNotLike
    ``arn:aws:iam::*:root`` denies everyone but them), or a pattern naming one account's root is
    not an organization-wide denial of root users.
    """
    try:
        document: dict[str, Any] = json.loads(policy.content)
    except ValueError:
        return False
    root = f"arn:{partition}:iam::{ANY_ACCOUNT}:root"
    for statement in _as_list(document.get("Statement", [])):
        if not isinstance(statement, dict) or statement.get("Effect") != "Deny":
            continue
        if "*" not in _as_list(statement.get("Action", [])):
            continue
        if "*" not in _as_list(statement.get("Resource", "*")):
            continue
        if _denies_every_root(statement, root):
            return True
    return False


@check(
    id="sec.org-root-scp",
    pillar=Pillar.SECURITY,
    title="An SCP denies the member accounts' root users",
    fail_title="No SCP denies the member accounts' root users",
    severity=Severity.HIGH,
    best_practices=["SEC01-BP02", "SEC03-BP05"],
    remediation=(
        "Attach to the organization root an SCP that denies all actions when aws:PrincipalArn is "
        "arn:*:iam::*:root (any partition), or remove member root credentials centrally (IAM "
        "root access management)."
    ),
    docs_url="https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html",
    facts=[organization, service_control_policies],
)
def root_scp(ctx: CheckContext) -> Iterator[Finding]:
    if (skip := not_management(ctx)) is not None:
        yield skip
        return
    protecting = [
        p for p in ctx.fact(service_control_policies) if denies_root(p, ctx.partition) and p.targets
    ]
    roots = [p for p in protecting if any(t.startswith("r-") for t in p.targets)]
    if roots:
        policy = roots[0]
        yield ctx.passed(policy.id, f"SCP {policy.name} denies root users organization-wide.")
    elif protecting:
        policy = protecting[0]
        targets = ", ".join(policy.targets)
        yield ctx.warned(
            policy.id, f"SCP {policy.name} denies root users only under {targets}, not the root."
        )
    else:
        yield ctx.failed(ctx.account_arn, "No SCP denies the member accounts' root users.")
