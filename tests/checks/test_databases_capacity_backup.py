"""rel.dynamodb-capacity, rel.backup-vault-protection, rel.backup-restore-testing: compliant and
non-compliant accounts in the sandbox (StartBackupJob and restore testing plans from the
sandbox's backup extension), and ERROR naming the action when a read is denied."""

from __future__ import annotations

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import run_on_facts
from wa_audit.checks.reliability_databases import dynamodb_capacity
from wa_audit.facts import application_autoscaling, backup_vaults, dynamodb
from wa_audit.models import Status
from wa_audit.sandbox.seeders.backup import BackupPlan, BackupSection
from wa_audit.sandbox.seeders.databases import (
    DatabasesSection,
    ProvisionedTable,
    RestoreTestingPlan,
    Vault,
)

REGION = "us-east-1"
ACCOUNT = "123456789012"
TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/feed"
VAULT_ARN = f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:backups"


def _one(check_id: str):
    [finding] = audit([check_id], (REGION,)).findings
    return finding


def test_provisioned_table_with_auto_scaling_passes(sandbox):
    table = ProvisionedTable(region=REGION, name="feed", auto_scaling=True)
    sandbox.seed_section("databases", DatabasesSection(tables=(table,)))
    finding = _one("rel.dynamodb-capacity")
    assert (finding.status, finding.resource) == (Status.PASS, TABLE_ARN)
    assert finding.best_practices == ("REL07-BP01", "COST09-BP03", "SUS02-BP01")


def test_provisioned_table_without_auto_scaling_fails(sandbox):
    table = ProvisionedTable(region=REGION, name="feed", read_capacity=400)
    sandbox.seed_section("databases", DatabasesSection(tables=(table,)))
    finding = _one("rel.dynamodb-capacity")
    assert (finding.status, finding.resource) == (Status.FAIL, TABLE_ARN)
    assert finding.evidence["without_auto_scaling"] == [
        "table/feed ReadCapacityUnits",
        "table/feed WriteCapacityUnits",
    ]


def test_a_target_without_policy_or_an_unscaled_index_is_not_auto_scaling():
    """A scalable target never scales without a policy; each global index scales on its own."""
    table = dynamodb.TableCapacity(
        name="feed", arn="arn:feed", billing_mode="PROVISIONED", global_indexes=("by-user",)
    )
    targets = tuple(
        application_autoscaling.ScalableTarget(
            resource_id="table/feed",
            dimension=f"dynamodb:table:{kind}CapacityUnits",
            min_capacity=5,
            max_capacity=50,
            policies=("tracking",) if kind == "Read" else (),
        )
        for kind in ("Read", "Write")
    )
    facts = {dynamodb.table_capacity: (table,), application_autoscaling.dynamodb_targets: targets}
    [finding] = run_on_facts(dynamodb_capacity, facts, region=REGION)
    assert finding.status == Status.FAIL
    assert finding.evidence["without_auto_scaling"] == [
        "table/feed WriteCapacityUnits",
        "table/feed/index/by-user ReadCapacityUnits",
        "table/feed/index/by-user WriteCapacityUnits",
    ]


def test_denied_scalable_targets_is_an_error(sandbox, monkeypatch):
    table = ProvisionedTable(region=REGION, name="feed")
    sandbox.seed_section("databases", DatabasesSection(tables=(table,)))
    sandbox.enforce_iam(monkeypatch, deny=["application-autoscaling:DescribeScalableTargets"])
    assert_errors_naming(
        audit(["rel.dynamodb-capacity"], (REGION,)).findings,
        "application-autoscaling:DescribeScalableTargets",
    )


def test_vault_lock_decides_protection_and_empty_vaults_are_not_judged(sandbox):
    vaults = (
        Vault(region=REGION, name="backups", locked=True, recovery_points=2),
        Vault(region=REGION, name="empty"),
    )
    sandbox.seed_section("databases", DatabasesSection(vaults=vaults))
    finding = _one("rel.backup-vault-protection")
    assert (finding.status, finding.resource) == (Status.PASS, VAULT_ARN)
    assert finding.evidence["recovery_points"] == 2
    assert finding.best_practices == ("REL09-BP02", "SEC08-BP04")


def test_an_unlocked_vault_with_recovery_points_fails(sandbox):
    vault = Vault(region=REGION, name="backups", recovery_points=3)
    sandbox.seed_section("databases", DatabasesSection(vaults=(vault,)))
    finding = _one("rel.backup-vault-protection")
    assert (finding.status, finding.resource) == (Status.FAIL, VAULT_ARN)
    assert "holds 3 recovery points with no Vault Lock and no access policy" in finding.message
    assert finding.evidence["access_policy"] is False


def test_an_access_policy_denying_deletion_protects_an_unlocked_vault(sandbox):
    vault = Vault(region=REGION, name="backups", recovery_points=1, deny_deletion_policy=True)
    sandbox.seed_section("databases", DatabasesSection(vaults=(vault,)))
    finding = _one("rel.backup-vault-protection")
    assert (finding.status, finding.resource) == (Status.PASS, VAULT_ARN)
    assert "access policy denies deleting" in finding.message


def test_a_policy_that_denies_one_principal_only_does_not_protect():
    document = {
        "Statement": {
            "Effect": "Deny",
            "Principal": {"AWS": "arn:aws:iam::123456789012:role/intern"},
            "Action": "backup:*",
            "Resource": "*",
        }
    }
    assert not backup_vaults.denies_deletion(document)
    document["Statement"]["Principal"] = "*"
    assert backup_vaults.denies_deletion(document)


def _backup_plan(sandbox) -> None:
    plan = BackupPlan(region=REGION, name="daily", resources=("*",))
    sandbox.seed_section("backup", BackupSection(plans=(plan,)))


def test_backups_without_restore_testing_fail(sandbox):
    _backup_plan(sandbox)
    finding = _one("rel.backup-restore-testing")
    assert (finding.status, finding.resource) == (Status.FAIL, f"{ACCOUNT}/{REGION}")
    assert finding.best_practices == ("REL09-BP04",)


def test_backups_with_a_restore_testing_plan_pass(sandbox):
    _backup_plan(sandbox)
    plan = RestoreTestingPlan(region=REGION, name="weekly")
    sandbox.seed_section("databases", DatabasesSection(restore_testing_plans=(plan,)))
    finding = _one("rel.backup-restore-testing")
    assert (finding.status, finding.resource) == (Status.PASS, f"{ACCOUNT}/{REGION}")
    assert finding.evidence["restore_testing_plans"] == ["weekly"]


def test_no_backup_plan_means_nothing_to_restore_test(sandbox):
    finding = _one("rel.backup-restore-testing")
    assert (finding.status, finding.resource) == (Status.NOT_APPLICABLE, f"{ACCOUNT}/{REGION}")


def test_denied_restore_testing_plans_is_an_error(sandbox, monkeypatch):
    _backup_plan(sandbox)
    sandbox.enforce_iam(monkeypatch, deny=["backup:ListRestoreTestingPlans"])
    assert_errors_naming(
        audit(["rel.backup-restore-testing"], (REGION,)).findings,
        "backup:ListRestoreTestingPlans",
    )
