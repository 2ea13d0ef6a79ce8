"""Cost optimization checks on attributing cost: can each dollar be traced to an owner and a
workload? Required resource tags, activated cost allocation tags, cost categories, and a detailed
billing export to analyse."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.checks._payer import member_account
from wa_audit.context import CheckContext
from wa_audit.facts.billing_setup import billing_exports, cost_allocation_tags, cost_categories
from wa_audit.facts.organizations import organization
from wa_audit.facts.tagging import TaggedResource, tagged_resources
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import noun, plural

COST_DOCS = "https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2"


class RequiredTagsParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    keys: tuple[str, ...] = Field(
        default=("owner", "cost-center"),
        min_length=1,
        description="Tag keys every resource must carry (case-sensitive, as AWS compares them).",
    )


MANAGED_BY_SERVICE_TAG = "aws:secretsmanager:owningService"
"""Secrets Manager's system tag on a secret another service (RDS, Redshift …) creates and manages:
its owner's tags belong on that service's resource, which is judged itself."""


def account_resources(ctx: CheckContext) -> dict[str, TaggedResource]:
    """Tagged resources of every audited region by ARN: a region-less ARN (an S3 bucket, a
    global resource) may be listed by more than one region's endpoint and is judged once."""
    return {
        resource.arn: resource
        for region in ctx.regions
        for resource in ctx.fact(tagged_resources, region)
        if MANAGED_BY_SERVICE_TAG not in resource.tags
    }


@check(
    id="cost.required-tags",
    pillar=Pillar.COST_OPTIMIZATION,
    title="Tagged resources carry the required owner and cost-centre tags",
    fail_title="Resources lack the required owner or cost-centre tags",
    severity=Severity.LOW,
    best_practices=["OPS02-BP01", "COST04-BP01"],
    remediation=(
        "Tag each resource with the required keys (an AWS Organizations tag policy can make "
        "them mandatory, and Tag Editor can add them in bulk), and activate the keys as cost "
        "allocation tags."
    ),
    docs_url="https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html",
    facts=[tagged_resources],
    params=RequiredTagsParams,
)
def required_tags(ctx: CheckContext) -> Iterator[Finding]:
    required = ctx.params(RequiredTagsParams).keys
    resources = account_resources(ctx)
    untagged = 0
    for arn, resource in sorted(resources.items()):
        missing = [key for key in required if key not in resource.tags]
        if not missing:
            continue
        untagged += 1
        message = (
            f"{arn} lacks the {' and '.join(missing)} {noun(len(missing), 'tag')}: its cost cannot be attributed to "
            "an owner."
        )
        evidence = {"missing": missing, "tag_keys": sorted(resource.tags)}
        yield ctx.failed(arn, message, evidence=evidence)
    if not resources:
        yield ctx.not_applicable(
            ctx.account_arn,
            "The Resource Groups Tagging API lists no tagged resource in the audited regions "
            "(it does not list resources that were never tagged).",
        )
    elif not untagged:
        yield ctx.passed(
            ctx.account_arn,
            f"All {len(resources)} tagged resources carry {' and '.join(required)}.",
            evidence={"resources": len(resources), "required": list(required)},
        )


@check(
    id="cost.allocation-tags",
    pillar=Pillar.COST_OPTIMIZATION,
    title="User-defined cost allocation tags are active",
    fail_title="No user-defined cost allocation tag is active",
    severity=Severity.MEDIUM,
    best_practices=["COST03-BP02"],
    remediation=(
        "In Billing and Cost Management, Cost allocation tags, activate the tag keys that name "
        "owners, workloads and cost centres; costs are split by them from then on."
    ),
    docs_url=f"{COST_DOCS}/activating-tags.html",
    facts=[organization, cost_allocation_tags],
)
def allocation_tags(ctx: CheckContext) -> Iterator[Finding]:
    if (skip := member_account(ctx, "Cost allocation tags")) is not None:
        yield skip
        return
    tags = ctx.fact(cost_allocation_tags)
    active = sorted(t.key for t in tags if t.active_user_defined)
    inactive = sorted(t.key for t in tags if t.type == "UserDefined" and t.status != "Active")
    evidence = {"active": active, "inactive_user_defined": inactive}
    if active:
        message = f"{plural(len(active), 'user-defined cost allocation tag')} active: {', '.join(active)}."
        yield ctx.passed(ctx.account_arn, message, evidence=evidence)
    elif inactive:
        message = (
            f"The account's tag keys ({', '.join(inactive)}) are not activated as cost "
            "allocation tags: the bill cannot be split by them."
        )
        yield ctx.failed(ctx.account_arn, message, evidence=evidence)
    else:
        message = (
            "No user-defined cost allocation tag exists: the bill cannot be split by owner or "
            "workload."
        )
        yield ctx.failed(ctx.account_arn, message, evidence=evidence)


@check(
    id="cost.cost-categories",
    pillar=Pillar.COST_OPTIMIZATION,
    title="Cost categories group costs by organisation structure",
    fail_title="No cost category groups costs by organisation structure",
    severity=Severity.LOW,
    best_practices=["COST03-BP03"],
    remediation=(
        "Create AWS Cost Categories whose rules map accounts, tags or services to your teams, "
        "products or cost centres, so reports and budgets follow your organisation."
    ),
    docs_url="https://docs.aws.amazon.com/cost-management/latest/userguide/manage-cost-categories.html",
    facts=[organization, cost_categories],
)
def cost_category_definitions(ctx: CheckContext) -> Iterator[Finding]:
    if (skip := member_account(ctx, "Cost categories")) is not None:
        yield skip
        return
    found = ctx.fact(cost_categories)
    evidence = {"cost_categories": [c.name for c in found]}
    if found:
        names = ", ".join(c.name for c in found)
        yield ctx.passed(
            found[0].arn,
            f"{plural(len(found), 'cost category')} in effect: {names}.",
            evidence=evidence,
        )
    else:
        yield ctx.failed(
            ctx.account_arn,
            "No cost category is in effect: costs are not mapped to teams, products or cost "
            "centres.",
            evidence=evidence,
        )


@check(
    id="cost.usage-reports",
    pillar=Pillar.COST_OPTIMIZATION,
    title="A detailed billing export (Data Exports or CUR) is delivered",
    fail_title="No detailed billing export is delivered",
    severity=Severity.MEDIUM,
    best_practices=["COST03-BP01"],
    remediation=(
        "Create a Data Exports export (CUR 2.0 or FOCUS) to an S3 bucket, with resource IDs, "
        "and analyse it with Athena or QuickSight (the Cloud Intelligence Dashboards)."
    ),
    docs_url="https://docs.aws.amazon.com/cur/latest/userguide/what-is-data-exports.html",
    facts=[billing_exports],
)
def usage_reports(ctx: CheckContext) -> Iterator[Finding]:
    exports = ctx.fact(billing_exports)
    evidence = {"exports": [f"{e.kind}:{e.name} ({e.detail})" for e in exports]}
    working = [e for e in exports if e.healthy]
    if working:
        names = ", ".join(f"{e.name} ({e.kind})" for e in working)
        yield ctx.passed(
            ctx.account_arn, f"Detailed billing data is exported: {names}.", evidence=evidence
        )
    elif exports:
        names = ", ".join(f"{e.name} ({e.detail})" for e in exports)
        yield ctx.failed(
            ctx.account_arn,
            f"Every billing export is failing: {names}.",
            evidence=evidence,
        )
    else:
        yield ctx.failed(
            ctx.account_arn,
            "No Cost and Usage Report or Data Exports export: line-item billing data is not "
            "kept for analysis.",
            evidence=evidence,
        )
