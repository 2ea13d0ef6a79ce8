"""The ``governance`` section: how the bill is attributed, exported and committed to, and what
Compute Optimizer says about the instances.

Through the APIs a user would call: activating cost allocation tags, creating cost categories, CUR
reports and Data Exports, opting in to Compute Optimizer. Into the sandbox state, what only AWS
writes: the tag keys the bill has seen, Savings Plans and reservation figures, and Compute
Optimizer's recommendations (for the ``workload`` section's instances, found by their Name tag).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from wa_audit.sandbox.extensions.ce_billing import (
    DailyCommitments,
    discover_tag_key,
    set_commitments,
)
from wa_audit.sandbox.extensions.compute_optimizer import enrollment
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder

BILLING_REGION = "us-east-1"


class CostCategorySpec(SectionModel):
    name: str
    tag_key: str
    """Each value maps the resources with this tag value to a category value of the same name."""
    values: tuple[str, ...]


Commitments = DailyCommitments
"""One day's figures, the same each day of the last 30."""


class Recommendation(SectionModel):
    region: str
    instance: str
    """The instance's Name tag."""
    finding: str
    recommended_type: str | None = None
    monthly_savings_usd: float | None = None
    reasons: tuple[str, ...] = ()


class GovernanceSection(SectionModel):
    tag_keys_seen: tuple[str, ...] = ()
    """User-defined tag keys the bill has seen (Inactive until listed in ``active_tag_keys``)."""
    active_tag_keys: tuple[str, ...] = ()
    cost_categories: tuple[CostCategorySpec, ...] = ()
    usage_reports: tuple[str, ...] = Field(default=(), description="Legacy CUR report names.")
    data_exports: tuple[str, ...] = ()
    export_bucket: str = "mublog-billing"
    commitments: Commitments = Commitments()
    compute_optimizer: bool = False
    recommendations: tuple[Recommendation, ...] = ()


def _seed_billing(section: GovernanceSection, env: SeedEnv) -> None:
    ce = env.client("ce", BILLING_REGION)
    for key in section.tag_keys_seen:
        discover_tag_key(env.state, env.account_id, key)
    if section.active_tag_keys:
        ce.update_cost_allocation_tags_status(
            CostAllocationTagsStatus=[
                {"TagKey": k, "Status": "Active"} for k in section.active_tag_keys
            ]
        )
    for category in section.cost_categories:
        ce.create_cost_category_definition(
            Name=category.name,
            RuleVersion="CostCategoryExpression.v1",
            Rules=[
                {
                    "Value": value,
                    "Rule": {"Tags": {"Key": category.tag_key, "Values": [value]}},
                }
                for value in category.values
            ],
        )
    cur = env.client("cur", BILLING_REGION)
    for name in section.usage_reports:
        cur.put_report_definition(
            ReportDefinition={
                "ReportName": name,
                "TimeUnit": "HOURLY",
                "Format": "Parquet",
                "Compression": "Parquet",
                "AdditionalSchemaElements": ["RESOURCES"],
                "S3Bucket": section.export_bucket,
                "S3Prefix": "cur",
                "S3Region": BILLING_REGION,
            }
        )
    exports = env.client("bcm-data-exports", BILLING_REGION)
    for name in section.data_exports:
        exports.create_export(Export=_export(name, section.export_bucket))
    set_commitments(env.state, env.account_id, section.commitments)


def _export(name: str, bucket: str) -> dict[str, Any]:
    return {
        "Name": name,
        "DataQuery": {
            "QueryStatement": "SELECT * FROM COST_AND_USAGE_REPORT",
            "TableConfigurations": {"COST_AND_USAGE_REPORT": {"INCLUDE_RESOURCES": "TRUE"}},
        },
        "DestinationConfigurations": {
            "S3Destination": {
                "S3Bucket": bucket,
                "S3Prefix": "exports",
                "S3Region": BILLING_REGION,
                "S3OutputConfigurations": {
                    "OutputType": "CUSTOM",
                    "Format": "PARQUET",
                    "Compression": "PARQUET",
                    "Overwrite": "OVERWRITE_REPORT",
                },
            }
        },
        "RefreshCadence": {"Frequency": "SYNCHRONOUS"},
    }


def _instances_by_name(env: SeedEnv, region: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for reservation in env.client("ec2", region).describe_instances()["Reservations"]:
        for instance in reservation["Instances"]:
            tags = {t["Key"]: t["Value"] for t in instance.get("Tags", [])}
            if "Name" in tags:
                found[tags["Name"]] = instance
    return found


def _seed_compute_optimizer(section: GovernanceSection, env: SeedEnv) -> None:
    if not section.compute_optimizer:
        return
    env.client("compute-optimizer", BILLING_REGION).update_enrollment_status(status="Active")
    store = enrollment(env.state, env.account_id)
    for item in section.recommendations:
        instance = _instances_by_name(env, item.region)[item.instance]
        arn = f"arn:aws:ec2:{item.region}:{env.account_id}:instance/{instance['InstanceId']}"
        option: dict[str, Any] = {
            "rank": 1,
            "instanceType": item.recommended_type or instance["InstanceType"],
        }
        if item.monthly_savings_usd is not None:
            option["savingsOpportunity"] = {
                "estimatedMonthlySavings": {"currency": "USD", "value": item.monthly_savings_usd}
            }
        store.ec2.setdefault(item.region, []).append(
            {
                "instanceArn": arn,
                "accountId": env.account_id,
                "instanceName": item.instance,
                "currentInstanceType": instance["InstanceType"],
                "finding": item.finding,
                "findingReasonCodes": list(item.reasons),
                "lookBackPeriodInDays": 14.0,
                "recommendationOptions": [option],
                "instanceState": "running",
            }
        )


def seed_governance(section: GovernanceSection, env: SeedEnv) -> None:
    _seed_billing(section, env)
    _seed_compute_optimizer(section, env)


SEEDER = Seeder("governance", GovernanceSection, seed_governance)
