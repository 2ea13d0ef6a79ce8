"""How the account's bill is organised and exported: cost allocation tags, cost categories, Cost
and Usage Reports (legacy CUR) and Billing and Cost Management Data Exports.

All four are account-wide billing settings. Cost allocation tags and cost categories come from
Cost Explorer's endpoint; CUR and Data Exports have one endpoint each, in the partition's billing
region (us-east-1 for the aws partition), whatever region the audit runs from.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact
from wa_audit.facts.ce import cost_explorer_errors
from wa_audit.facts.cloudwatch import billing_region


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class CostAllocationTag(_Model):
    key: str
    type: str
    """``AWSGenerated`` or ``UserDefined``."""
    status: str
    """``Active`` (usable in Cost Explorer and reports) or ``Inactive``."""
    last_used: date | None = None

    @property
    def active_user_defined(self) -> bool:
        return self.type == "UserDefined" and self.status == "Active"


class CostCategory(_Model):
    arn: str
    name: str
    rules: int | None = None
    values: tuple[str, ...] = ()


class BillingExport(_Model):
    """A legacy Cost and Usage Report or a Data Exports export."""

    kind: str
    """``cur`` or ``data-export``."""
    name: str
    detail: str
    """Where it is delivered (CUR) or its status (Data Exports)."""
    healthy: bool = True


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


@fact("ce.cost_allocation_tags", regional=False, permissions=["ce:ListCostAllocationTags"])
def cost_allocation_tags(ctx: FetchContext) -> tuple[CostAllocationTag, ...]:
    with cost_explorer_errors(cost_allocation_tags.name, ctx.region):
        return tuple(
            CostAllocationTag(
                key=raw["TagKey"],
                type=raw["Type"],
                status=raw["Status"],
                last_used=_day(raw.get("LastUsedDate")),
            )
            for raw in ctx.paginate("ce", "list_cost_allocation_tags", "CostAllocationTags")
        )


@fact("ce.cost_categories", regional=False, permissions=["ce:ListCostCategoryDefinitions"])
def cost_categories(ctx: FetchContext) -> tuple[CostCategory, ...]:
    """The cost categories in effect now (the API's default ``EffectiveOn``)."""
    with cost_explorer_errors(cost_categories.name, ctx.region):
        return tuple(
            CostCategory(
                arn=raw["CostCategoryArn"],
                name=raw.get("Name", raw["CostCategoryArn"]),
                rules=raw.get("NumberOfRules"),
                values=tuple(raw.get("Values", [])),
            )
            for raw in ctx.paginate(
                "ce", "list_cost_category_definitions", "CostCategoryReferences"
            )
        )


@fact(
    "billing.exports",
    regional=False,
    permissions=["cur:DescribeReportDefinitions", "bcm-data-exports:ListExports"],
)
def billing_exports(ctx: FetchContext) -> tuple[BillingExport, ...]:
    """Both kinds of detailed billing export: a legacy CUR still counts as one."""
    region = billing_region(ctx.partition) or ctx.region
    reports = [
        BillingExport(
            kind="cur",
            name=raw["ReportName"],
            detail=f"s3://{raw['S3Bucket']}/{raw.get('S3Prefix', '')}",
            healthy=not str((raw.get("ReportStatus") or {}).get("lastStatus", "")).startswith(
                "ERROR"
            ),
        )
        for raw in _paginate(ctx, "cur", region, "describe_report_definitions", "ReportDefinitions")
    ]
    exports = [
        BillingExport(
            kind="data-export",
            name=raw["ExportName"],
            detail=raw["ExportStatus"].get("StatusCode", ""),
            healthy=raw["ExportStatus"].get("StatusCode") != "UNHEALTHY",
        )
        for raw in _paginate(ctx, "bcm-data-exports", region, "list_exports", "Exports")
    ]
    return (*reports, *exports)


def _paginate(
    ctx: FetchContext, service: str, region: str, operation: str, key: str
) -> list[dict[str, Any]]:
    client = ctx.client(service, region)
    return [
        item for page in client.get_paginator(operation).paginate() for item in page.get(key, [])
    ]
