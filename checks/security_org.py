"""Organization-wide security checks, answered in the management account.

They run in every audit like any check; in a standalone or member account they are NOT_APPLICABLE
with the reason, so a ``run --org`` (or ``wa-audit merge``) finds their verdicts in the
management account's results and shows them once for the whole organization.
"""

from __future__ import annotations

import json
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


def denies_root(policy: ServiceControlPolicy) -> bool:
    """A Deny on every action conditioned on the root principal (arn:*:iam::*:root)."""
    try:
        document: dict[str, Any] = json.loads(policy.content)
    except ValueError:
        return False
    statements = document.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        actions = statement.get("Action", [])
        actions = actions if isinstance(actions, list) else [actions]
        if statement.get("Effect") != "Deny" or "*" not in actions:
            continue
        for operator in statement.get("Condition", {}).values():
            principals = operator.get("aws:PrincipalArn", [])
            principals = principals if isinstance(principals, list) else [principals]
            if any(str(arn).endswith(":root") for arn in principals):
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
    protecting = [p for p in ctx.fact(service_control_policies) if denies_root(p) and p.targets]
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
