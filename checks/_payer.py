"""Billing settings that only an organization's management (payer) account holds."""

from __future__ import annotations

from wa_audit.context import CheckContext
from wa_audit.facts.organizations import Organization, organization
from wa_audit.models import Finding


def member_account(ctx: CheckContext, setting: str) -> Finding | None:
    """NOT_APPLICABLE in a member account: cost allocation tags and cost categories are managed
    by the management account for the whole organization, so a member has none of its own."""
    membership: Organization = ctx.fact(organization)
    if not membership.in_organization or membership.management_account_id == ctx.account_id:
        return None
    return ctx.not_applicable(
        ctx.account_arn,
        f"{setting} are managed by the organization's management account "
        f"{membership.management_account_id}: assessed there.",
    )
