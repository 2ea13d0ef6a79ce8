"""sec.rds-encryption, sec.rds-public-access, perf.rds-instance-generation,
perf.rds-performance-insights, sus.rds-storage-autoscaling: a compliant and a non-compliant DB
instance in the sandbox (PerformanceInsightsEnabled from the sandbox's RDS extension)."""

from __future__ import annotations

from tests.checks.sandbox_audit import audit
from tests.helpers import run_on_facts
from wa_audit.checks.performance_databases import rds_performance_insights
from wa_audit.checks.sustainability_databases import rds_storage_autoscaling
from wa_audit.facts import rds
from wa_audit.models import Status

REGION = "us-east-1"
BEST_PRACTICES = {
    "sec.rds-encryption": ("SEC08-BP02",),
    "sec.rds-public-access": ("SEC05-BP01", "SEC03-BP07"),
    "perf.rds-instance-generation": ("PERF05-BP06", "PERF03-BP02", "SUS06-BP03"),
    "perf.rds-performance-insights": ("PERF03-BP03",),
    "sus.rds-storage-autoscaling": ("SUS04-BP04",),
}


def _database(sandbox, name: str, **settings) -> str:
    return sandbox.client("rds").create_db_instance(
        DBInstanceIdentifier=name,
        Engine="postgres",
        AllocatedStorage=100,
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
        **settings,
    )["DBInstance"]["DBInstanceArn"]


def _verdicts():
    findings = audit(list(BEST_PRACTICES), (REGION,)).findings
    for finding in findings:
        assert finding.best_practices == BEST_PRACTICES[finding.check_id]
    return {(f.check_id, f.resource): f for f in findings}


def test_a_well_set_up_instance_passes(sandbox):
    arn = _database(
        sandbox,
        "orders",
        DBInstanceClass="db.m7g.large",
        StorageEncrypted=True,
        PubliclyAccessible=False,
        EnablePerformanceInsights=True,
        MaxAllocatedStorage=500,
    )
    found = _verdicts()
    assert {key: f.status for key, f in found.items()} == {
        (check_id, arn): Status.PASS for check_id in BEST_PRACTICES
    }
    autoscaling = found["sus.rds-storage-autoscaling", arn]
    assert autoscaling.evidence == {"allocated_storage_gib": 100, "max_allocated_storage_gib": 500}


def test_an_old_public_unencrypted_instance_fails(sandbox):
    arn = _database(
        sandbox,
        "orders",
        DBInstanceClass="db.m4.large",
        StorageEncrypted=False,
        PubliclyAccessible=True,
    )
    found = _verdicts()
    assert {key: f.status for key, f in found.items()} == {
        (check_id, arn): Status.FAIL for check_id in BEST_PRACTICES
    }
    assert "unencrypted" in found["sec.rds-encryption", arn].message
    assert "publicly accessible" in found["sec.rds-public-access", arn].message
    generation = found["perf.rds-instance-generation", arn]
    assert generation.evidence == {"class": "db.m4.large", "suggested_family": "db.m7g"}
    assert "Performance Insights off" in found["perf.rds-performance-insights", arn].message
    assert "storage autoscaling off" in found["sus.rds-storage-autoscaling", arn].message


def test_aurora_members_are_left_to_their_cluster_volume():
    """Aurora's cluster volume grows by itself: storage autoscaling does not apply to members."""
    member = rds.DbInstance(
        id="writer",
        arn="arn:db:writer",
        engine="aurora-postgresql",
        multi_az=False,
        backup_retention_days=7,
        cluster_id="orders",
    )
    [finding] = run_on_facts(rds_storage_autoscaling, {rds.db_instances: (member,)}, region=REGION)
    assert (finding.status, finding.resource) == (Status.NOT_APPLICABLE, f"123456789012/{REGION}")


def test_performance_insights_is_not_applicable_where_aws_offers_none():
    """RDS for MySQL has no Performance Insights on db.t3.micro (USER_DatabaseInsights.Engines)."""
    small = rds.DbInstance(
        id="tiny",
        arn="arn:db:tiny",
        engine="mysql",
        multi_az=False,
        backup_retention_days=7,
        instance_class="db.t3.micro",
    )
    [finding] = run_on_facts(rds_performance_insights, {rds.db_instances: (small,)}, region=REGION)
    assert (finding.status, finding.resource) == (Status.NOT_APPLICABLE, "arn:db:tiny")
    assert "AWS offers no Performance Insights" in finding.message
