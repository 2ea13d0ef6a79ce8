"""Cost attribution and commitments, end to end against the sandbox (boto3 over HTTP to moto)."""

from __future__ import annotations

import pytest

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import ACCOUNT_ID, run_on_facts
from wa_audit.checks.cost_governance import (
    RequiredTagsParams,
    allocation_tags,
    cost_category_definitions,
    required_tags,
)
from wa_audit.facts.billing_setup import cost_allocation_tags, cost_categories
from wa_audit.facts.organizations import Organization, organization
from wa_audit.facts.tagging import TaggedResource, tagged_resources
from wa_audit.models import Finding, Status
from wa_audit.sandbox.seeders.governance import (
    Commitments,
    CostCategorySpec,
    GovernanceSection,
    Recommendation,
)

REGIONS = ("us-east-1",)
ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"


def _findings(check_id: str, best_practices: tuple[str, ...], regions=REGIONS) -> list[Finding]:
    findings = audit([check_id], regions).findings
    assert {f.best_practices for f in findings} == {best_practices}
    return findings


def _verdicts(check_id: str, best_practices: tuple[str, ...], regions=REGIONS):
    return sorted((f.status, f.resource) for f in _findings(check_id, best_practices, regions))


def _seed(sandbox, **section) -> None:
    sandbox.seed_section("governance", GovernanceSection(**section))


# --- Required tags ------------------------------------------------------------------------------

TAGS_BP = ("OPS02-BP01", "COST04-BP01")


def _vpc(sandbox, region: str, **tags: str) -> str:
    ec2 = sandbox.client("ec2", region)
    spec = [{"ResourceType": "vpc", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]
    vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16", TagSpecifications=spec)["Vpc"]["VpcId"]
    return f"arn:aws:ec2:{region}:{ACCOUNT_ID}:vpc/{vpc_id}"


def test_resources_with_owner_and_cost_centre_pass(sandbox):
    _vpc(sandbox, "us-east-1", owner="web", **{"cost-center": "cc-1"})
    assert _verdicts("cost.required-tags", TAGS_BP) == [(Status.PASS, ROOT)]


def test_resources_missing_required_tags_fail_in_each_region(sandbox):
    _vpc(sandbox, "us-east-1", owner="web", **{"cost-center": "cc-1"})
    untagged = _vpc(sandbox, "eu-west-1", app="mublog")
    findings = _findings("cost.required-tags", TAGS_BP, ("us-east-1", "eu-west-1"))
    [finding] = findings
    assert (finding.status, finding.resource, finding.region) == (Status.FAIL, untagged, "global")
    assert finding.evidence["missing"] == ["owner", "cost-center"]


def test_required_keys_are_a_parameter_and_managed_secrets_are_skipped():
    managed = TaggedResource(
        arn=f"arn:aws:secretsmanager:us-east-1:{ACCOUNT_ID}:secret:rds!db-1",
        tags={"aws:secretsmanager:owningService": "rds"},
    )
    bucket = TaggedResource(arn="arn:aws:s3:::logs", tags={"team": "web"})
    facts = {tagged_resources: (managed, bucket)}
    params = RequiredTagsParams(keys=("team",))
    [finding] = run_on_facts(
        required_tags, facts, params=params, regions=("us-east-1", "eu-west-1")
    )
    assert (finding.status, finding.resource) == (Status.PASS, ROOT)
    [finding] = run_on_facts(required_tags, facts, regions=("us-east-1", "eu-west-1"))
    assert (finding.status, finding.resource) == (Status.FAIL, "arn:aws:s3:::logs")


def test_no_tagged_resource_is_not_applicable(sandbox):
    assert _verdicts("cost.required-tags", TAGS_BP) == [(Status.NOT_APPLICABLE, ROOT)]


def test_denied_tagging_read_is_error(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["tag:GetResources"])
    assert_errors_naming(audit(["cost.required-tags"], REGIONS).findings, "tag:GetResources")


# --- Cost allocation tags, cost categories, billing exports -------------------------------------


def test_active_allocation_tag_passes(sandbox):
    _seed(sandbox, tag_keys_seen=("owner", "env"), active_tag_keys=("owner",))
    assert _verdicts("cost.allocation-tags", ("COST03-BP02",)) == [(Status.PASS, ROOT)]


def test_inactive_or_no_allocation_tags_fail(sandbox):
    _seed(sandbox, tag_keys_seen=("owner",))
    [finding] = _findings("cost.allocation-tags", ("COST03-BP02",))
    assert (finding.status, finding.resource) == (Status.FAIL, ROOT)
    assert finding.evidence == {"active": [], "inactive_user_defined": ["owner"]}


def test_cost_category_passes_none_fails(sandbox):
    assert _verdicts("cost.cost-categories", ("COST03-BP03",)) == [(Status.FAIL, ROOT)]
    _seed(sandbox, cost_categories=(CostCategorySpec(name="team", tag_key="owner", values=("a",)),))
    [finding] = _findings("cost.cost-categories", ("COST03-BP03",))
    assert finding.status is Status.PASS
    assert finding.resource.startswith(f"arn:aws:ce::{ACCOUNT_ID}:costcategory/")


def test_billing_exports(sandbox):
    assert _verdicts("cost.usage-reports", ("COST03-BP01",)) == [(Status.FAIL, ROOT)]
    _seed(sandbox, usage_reports=("legacy-cur",))
    [finding] = _findings("cost.usage-reports", ("COST03-BP01",))
    assert (finding.status, finding.evidence["exports"]) == (
        Status.PASS,
        ["cur:legacy-cur (s3://mublog-billing/cur)"],
    )


def test_data_export_passes(sandbox):
    _seed(sandbox, data_exports=("cur2",))
    assert _verdicts("cost.usage-reports", ("COST03-BP01",)) == [(Status.PASS, ROOT)]


def test_denied_billing_reads_are_errors(sandbox, monkeypatch):
    sandbox.enforce_iam(
        monkeypatch, deny=["ce:ListCostAllocationTags", "bcm-data-exports:ListExports"]
    )
    assert_errors_naming(
        audit(["cost.allocation-tags"], REGIONS).findings, "ce:ListCostAllocationTags"
    )
    assert_errors_naming(
        audit(["cost.usage-reports"], REGIONS).findings, "bcm-data-exports:ListExports"
    )


# --- Commitments --------------------------------------------------------------------------------

COVERAGE_BP = ("COST07-BP01", "COST07-BP04")


def test_coverage_pass_fail_and_too_little_to_judge(sandbox):
    _seed(
        sandbox, commitments=Commitments(savings_plans_covered_usd=8, savings_plans_on_demand_usd=2)
    )
    [finding] = _findings("cost.commitment-coverage", COVERAGE_BP)
    assert (finding.status, finding.evidence["savings_plans_coverage_percent"]) == (
        Status.PASS,
        80.0,
    )
    _seed(
        sandbox, commitments=Commitments(savings_plans_covered_usd=2, savings_plans_on_demand_usd=8)
    )
    [finding] = _findings("cost.commitment-coverage", COVERAGE_BP)
    assert (finding.status, finding.resource) == (Status.FAIL, ROOT)
    assert finding.evidence["on_demand_eligible_usd"] == 240.0
    _seed(sandbox, commitments=Commitments(savings_plans_on_demand_usd=1))
    assert _verdicts("cost.commitment-coverage", COVERAGE_BP) == [(Status.NOT_APPLICABLE, ROOT)]


def test_utilization(sandbox):
    bp = ("COST07-BP05",)
    assert _verdicts("cost.commitment-utilization", bp) == [(Status.NOT_APPLICABLE, ROOT)]
    used = Commitments(savings_plans_commitment_usd=3, savings_plans_used_usd=2.9)
    _seed(sandbox, commitments=used)
    assert _verdicts("cost.commitment-utilization", bp) == [(Status.PASS, ROOT)]
    idle = used.model_copy(update={"reserved_purchased_hours": 24, "reserved_used_hours": 6})
    _seed(sandbox, commitments=idle)
    [finding] = _findings("cost.commitment-utilization", bp)
    assert (finding.status, finding.evidence["reservations_utilization_percent"]) == (
        Status.FAIL,
        25.0,
    )


def test_denied_coverage_read_is_error(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["ce:GetSavingsPlansCoverage"])
    assert_errors_naming(
        audit(["cost.commitment-coverage"], REGIONS).findings, "ce:GetSavingsPlansCoverage"
    )


# --- Rightsizing --------------------------------------------------------------------------------

RIGHTSIZING_BP = ("COST06-BP02", "COST06-BP03", "SUS05-BP01")


def _instance(sandbox, name: str) -> str:
    ec2 = sandbox.client("ec2")
    image = ec2.register_image(
        Name=f"{name}-image",
        Architecture="x86_64",
        RootDeviceName="/dev/xvda",
        VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
    )["ImageId"]
    tags = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}]
    [instance] = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, InstanceType="m5.xlarge", TagSpecifications=tags
    )["Instances"]
    return f"arn:aws:ec2:us-east-1:{ACCOUNT_ID}:instance/{instance['InstanceId']}"


def test_not_enrolled_is_not_applicable(sandbox):
    region = f"{ACCOUNT_ID}/us-east-1"
    assert _verdicts("cost.rightsizing", RIGHTSIZING_BP) == [(Status.NOT_APPLICABLE, region)]


def test_overprovisioned_instance_fails_optimized_passes(sandbox):
    big = _instance(sandbox, "big")
    _instance(sandbox, "fine")
    recommendations = (
        Recommendation(
            region="us-east-1",
            instance="big",
            finding="Overprovisioned",
            recommended_type="m5.large",
            monthly_savings_usd=70.08,
        ),
        Recommendation(region="us-east-1", instance="fine", finding="Optimized"),
    )
    _seed(sandbox, compute_optimizer=True, recommendations=recommendations)
    [finding] = _findings("cost.rightsizing", RIGHTSIZING_BP)
    assert (finding.status, finding.resource) == (Status.FAIL, big)
    assert "m5.xlarge could be m5.large, saving about $70.08 a month" in finding.message


def test_enrolled_with_only_optimized_instances_passes(sandbox):
    _instance(sandbox, "fine")
    _seed(
        sandbox,
        compute_optimizer=True,
        recommendations=(Recommendation(region="us-east-1", instance="fine", finding="Optimized"),),
    )
    region = f"{ACCOUNT_ID}/us-east-1"
    assert _verdicts("cost.rightsizing", RIGHTSIZING_BP) == [(Status.PASS, region)]


def test_denied_recommendations_read_is_error(sandbox, monkeypatch):
    _seed(sandbox, compute_optimizer=True)
    sandbox.enforce_iam(monkeypatch, deny=["compute-optimizer:GetEC2InstanceRecommendations"])
    assert_errors_naming(
        audit(["cost.rightsizing"], REGIONS).findings,
        "compute-optimizer:GetEC2InstanceRecommendations",
    )


@pytest.mark.parametrize("check", [allocation_tags, cost_category_definitions])
@pytest.mark.parametrize(
    ("management", "status"),
    [("210987654321", Status.NOT_APPLICABLE), (ACCOUNT_ID, Status.FAIL)],
)
def test_payer_settings_are_assessed_in_the_management_account(check, management, status):
    """A member account has no allocation tags or cost categories of its own: the payer holds
    them for the organization (its own audit, or run --org, reports them)."""
    membership = Organization(organization_id="o-abc123", management_account_id=management)
    facts = {organization: membership, cost_allocation_tags: (), cost_categories: ()}
    [finding] = run_on_facts(check, facts)
    assert (finding.status, finding.resource) == (status, ROOT)
    if status is Status.NOT_APPLICABLE:
        assert "management account 210987654321" in finding.message
