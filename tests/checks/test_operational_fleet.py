"""Fleet checks against the sandbox: SSM management and patching, CloudFormation drift and
rollback, Automation runbooks; and the patch-state batching of AWS's 50-id limit."""

from __future__ import annotations

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.checks.serverless_accounts import (
    REGION,
    REGIONS,
    findings_of,
    region_resource,
    run_instances,
    seed,
)
from tests.helpers import ACCOUNT_ID
from wa_audit.models import Status

SSM_CHECKS = {
    "ops.ssm-managed-instances": ("SEC06-BP03", "OPS05-BP05", "REL08-BP05"),
    "ops.patch-compliance": ("OPS05-BP05", "SEC06-BP01", "REL08-BP05"),
}
CFN_CHECKS = {
    "ops.cfn-drift": ("OPS05-BP01", "OPS05-BP04"),
    "ops.cfn-rollback": ("OPS06-BP04",),
}
ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"


def _instance_arn(instance_id: str) -> str:
    return f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:instance/{instance_id}"


def test_managed_and_patched_fleet_passes(sandbox):
    run_instances(sandbox, "web-1", "web-2")
    seed(sandbox, fleets=[{"region": REGION}])
    report = audit(list(SSM_CHECKS), REGIONS)
    for check_id, practices in SSM_CHECKS.items():
        assert findings_of(report, check_id) == [(Status.PASS, region_resource(), REGION)]
        assert {f.best_practices for f in report.findings if f.check_id == check_id} == {practices}


def test_unmanaged_unpatched_and_unscanned_instances_are_named(sandbox):
    ids = run_instances(sandbox, "fine", "rogue", "lost", "behind", "new", "stale")
    seed(
        sandbox,
        fleets=[
            {
                "region": REGION,
                "unmanaged": ["rogue"],
                "connection_lost": ["lost"],
                "never_scanned": ["new"],
                "missing_patches": {"behind": 3},
            }
        ],
    )
    report = audit(list(SSM_CHECKS), REGIONS)
    assert sorted(findings_of(report, "ops.ssm-managed-instances")) == sorted(
        [
            (Status.FAIL, _instance_arn(ids["rogue"]), REGION),
            (Status.WARN, _instance_arn(ids["lost"]), REGION),
        ]
    )
    assert sorted(findings_of(report, "ops.patch-compliance")) == sorted(
        [
            (Status.FAIL, _instance_arn(ids["behind"]), REGION),
            (Status.FAIL, _instance_arn(ids["new"]), REGION),
        ]
    )


def test_stale_patch_scan_warns(sandbox):
    ids = run_instances(sandbox, "old-scan")
    seed(sandbox, fleets=[{"region": REGION, "scanned_days_ago": 40}])
    report = audit(["ops.patch-compliance"], REGIONS)
    assert findings_of(report, "ops.patch-compliance") == [
        (Status.WARN, _instance_arn(ids["old-scan"]), REGION)
    ]


def test_more_than_fifty_managed_nodes_are_read_in_batches(sandbox):
    """DescribeInstancePatchStates takes 50 ids at most: 55 nodes need two calls."""
    names = [f"node-{n}" for n in range(55)]
    ids = run_instances(sandbox, *names)
    seed(sandbox, fleets=[{"region": REGION, "missing_patches": {"node-54": 1}}])
    report = audit(["ops.patch-compliance"], REGIONS)
    assert findings_of(report, "ops.patch-compliance") == [
        (Status.FAIL, _instance_arn(ids["node-54"]), REGION)
    ]


def test_patch_states_denied_is_error(sandbox, monkeypatch):
    run_instances(sandbox, "web-1")
    seed(sandbox, fleets=[{"region": REGION}])
    sandbox.enforce_iam(monkeypatch, deny=["ssm:DescribeInstancePatchStates"])
    findings = audit(["ops.patch-compliance"], REGIONS).findings
    assert_errors_naming(findings, "ssm:DescribeInstancePatchStates")


def _stack_ids(sandbox) -> dict[str, str]:
    stacks = sandbox.client("cloudformation").describe_stacks()["Stacks"]
    return {stack["StackName"]: stack["StackId"] for stack in stacks}


def test_checked_stacks_that_roll_back_pass(sandbox):
    seed(sandbox, stacks=[{"region": REGION, "name": "net", "drift": "IN_SYNC"}])
    report = audit(list(CFN_CHECKS), REGIONS)
    for check_id, practices in CFN_CHECKS.items():
        assert findings_of(report, check_id) == [(Status.PASS, region_resource(), REGION)]
        assert {f.best_practices for f in report.findings if f.check_id == check_id} == {practices}


def test_drifted_unchecked_and_no_rollback_stacks_are_named(sandbox):
    seed(
        sandbox,
        stacks=[
            {"region": REGION, "name": "ok", "drift": "IN_SYNC"},
            {"region": REGION, "name": "drifted", "drift": "DRIFTED"},
            {"region": REGION, "name": "unchecked", "disable_rollback": True},
            {"region": REGION, "name": "old", "drift": "IN_SYNC", "drift_checked_days_ago": 90},
        ],
    )
    ids = _stack_ids(sandbox)
    report = audit(list(CFN_CHECKS), REGIONS)
    assert sorted(findings_of(report, "ops.cfn-drift")) == sorted(
        [
            (Status.FAIL, ids["drifted"], REGION),
            (Status.WARN, ids["unchecked"], REGION),
            (Status.WARN, ids["old"], REGION),
        ]
    )
    assert findings_of(report, "ops.cfn-rollback") == [(Status.FAIL, ids["unchecked"], REGION)]


def test_describe_stacks_denied_is_error(sandbox, monkeypatch):
    seed(sandbox, stacks=[{"region": REGION, "name": "net"}])
    sandbox.enforce_iam(monkeypatch, deny=["cloudformation:DescribeStacks"])
    assert_errors_naming(audit(list(CFN_CHECKS), REGIONS).findings, "cloudformation:DescribeStacks")


def test_automation_runbooks(sandbox):
    report = audit(["ops.automation-runbooks"], REGIONS)
    assert findings_of(report, "ops.automation-runbooks") == [(Status.WARN, ROOT, "global")]
    seed(sandbox, runbooks=[{"region": REGION, "name": "Restart-Api"}])
    report = audit(["ops.automation-runbooks"], REGIONS)
    [finding] = report.findings
    assert (finding.status, finding.resource, finding.best_practices) == (
        Status.PASS,
        ROOT,
        ("OPS07-BP03",),
    )
    assert finding.evidence == {"runbooks": {REGION: ["Restart-Api"]}}
