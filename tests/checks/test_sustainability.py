"""Sustainability checks: on facts built in the test, and end to end against the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import ACCOUNT_ID, NOW, run_on_facts
from wa_audit.checks.sustainability import (
    GravitonParams,
    StoppedParams,
    graviton_adoption,
    idle_stopped_instances,
    s3_lifecycle,
)
from wa_audit.facts.ec2 import Instance, InstanceType, instance_types, instances
from wa_audit.facts.s3 import Lifecycle, bucket_lifecycles, buckets
from wa_audit.facts.store import FactFailure
from wa_audit.models import Status

REGIONS = ("us-east-1", "eu-west-1")
REGION = "eu-west-1"
ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"
TYPES = {
    name: InstanceType(
        name=name, current_generation=True, architectures=(arch,), default_vcpus=vcpus
    )
    for name, arch, vcpus in (
        ("m5.xlarge", "x86_64", 4),
        ("m7g.large", "arm64", 2),
        ("x2iedn.xlarge", "x86_64", 4),
    )
}


def _instance(
    instance_id: str,
    kind: str = "m5.xlarge",
    *,
    state: str = "running",
    reason: str = "",
    volumes: tuple[str, ...] = ("vol-1",),
) -> Instance:
    return Instance(
        id=instance_id,
        type=kind,
        state=state,
        availability_zone=f"{REGION}a",
        launch_time=NOW - timedelta(days=400),
        architecture=TYPES[kind].architectures[0],
        state_transition_reason=reason,
        volume_ids=volumes,
    )


def _graviton(found: list[Instance], params: GravitonParams | None = None):
    return run_on_facts(
        graviton_adoption,
        {instances: tuple(found), instance_types: TYPES},
        regions=(REGION,),
        params=params,
    )


def test_graviton_share_below_threshold_with_candidates_warns():
    # 2 arm64 vCPUs of 2 + 4 + 4 = 20%.
    [finding] = _graviton(
        [_instance("i-arm", "m7g.large"), _instance("i-x86"), _instance("i-x86b")]
    )
    assert (finding.status, finding.resource, finding.region) == (Status.WARN, ROOT, "global")
    assert finding.evidence["arm64_share_percent"] == 20.0
    assert finding.evidence["minimum_arm_share_percent"] == 25.0
    assert [c["suggested_type"] for c in finding.evidence["graviton_candidates"]] == [
        "m7g.xlarge",
        "m7g.xlarge",
    ]
    assert "m5.xlarge → m7g.xlarge" in finding.message
    assert finding.best_practices == ("SUS05-BP02",)


@pytest.mark.parametrize(
    ("found", "params", "status"),
    [
        # 2 of 6 vCPUs = 33%.
        ([_instance("i-arm", "m7g.large"), _instance("i-x86")], None, Status.PASS),
        # 20% but the threshold is configured lower.
        (
            [_instance("i-arm", "m7g.large"), _instance("i-x86"), _instance("i-x86b")],
            GravitonParams(minimum_arm_share_percent=15),
            Status.PASS,
        ),
        # 0%, but no x86 family here has a Graviton equivalent.
        ([_instance("i-mem", "x2iedn.xlarge")], None, Status.PASS),
        ([_instance("i-off", state="stopped")], None, Status.NOT_APPLICABLE),
    ],
)
def test_graviton_pass_and_not_applicable(found, params, status):
    [finding] = _graviton(found, params)
    assert finding.status is status


def test_graviton_vcpus_come_from_cpu_options_when_known():
    arm = _instance("i-arm", "m7g.large").model_copy(update={"vcpus": 8})
    [finding] = _graviton([arm, _instance("i-x86")])
    assert finding.evidence["arm64_vcpus"] == 8
    assert finding.evidence["total_vcpus"] == 12


def _lifecycle(lifecycles: dict[str, Lifecycle]):
    return run_on_facts(
        s3_lifecycle,
        {buckets: (), bucket_lifecycles: lifecycles},
        region=REGION,
        regions=(REGION,),
    )


def test_buckets_without_enabled_lifecycle_rules_fail_one_by_one():
    findings = _lifecycle(
        {
            "logs": Lifecycle(),
            "avatars": Lifecycle(rules=1, enabled_rules=1),
            "backups": Lifecycle(rules=2, enabled_rules=0),
        }
    )
    assert [(f.status, f.resource) for f in findings] == [
        (Status.FAIL, "arn:aws:s3:::backups"),
        (Status.FAIL, "arn:aws:s3:::logs"),
    ]
    assert "none is enabled" in findings[0].message
    assert "no lifecycle configuration" in findings[1].message
    assert findings[0].best_practices == ("SUS04-BP03", "SUS04-BP02")


@pytest.mark.parametrize(
    ("lifecycles", "status"),
    [({"avatars": Lifecycle(rules=1, enabled_rules=1)}, Status.PASS), ({}, Status.NOT_APPLICABLE)],
)
def test_lifecycle_pass_and_not_applicable(lifecycles, status):
    [finding] = _lifecycle(lifecycles)
    assert (finding.status, finding.resource) == (status, f"{ACCOUNT_ID}/{REGION}")


def _stopped(days_ago: float, *, volumes: tuple[str, ...] = ("vol-1",), suffix: str = "GMT"):
    when = NOW - timedelta(days=days_ago)
    reason = f"User initiated ({when:%Y-%m-%d %H:%M:%S} {suffix})"
    return _instance(f"i-{int(days_ago)}", state="stopped", reason=reason, volumes=volumes)


def _idle(found: list[Instance], params: StoppedParams | None = None):
    return run_on_facts(
        idle_stopped_instances,
        {instances: tuple(found)},
        region=REGION,
        regions=(REGION,),
        params=params,
    )


def test_long_stopped_instances_with_volumes_fail():
    findings = _idle(
        [_stopped(45), _stopped(40, suffix="UTC"), _stopped(10), _stopped(90, volumes=())]
    )
    assert [(f.status, f.resource) for f in findings] == [
        (Status.FAIL, f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:instance/i-45"),
        (Status.FAIL, f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:instance/i-40"),
    ]
    assert findings[0].evidence["days_stopped"] == 45
    assert findings[0].evidence["max_stopped_days"] == 30
    assert findings[0].best_practices == ("SUS02-BP03", "COST04-BP03")


@pytest.mark.parametrize(
    ("found", "params", "status"),
    [
        ([_stopped(45)], StoppedParams(max_stopped_days=60), Status.PASS),
        ([_stopped(10), _instance("i-run")], None, Status.PASS),
        (
            [_instance("i-odd", state="stopped", reason="Server.ScheduledStop: retirement")],
            None,
            Status.PASS,
        ),
        ([], None, Status.NOT_APPLICABLE),
    ],
)
def test_idle_stopped_pass_and_not_applicable(found, params, status):
    [finding] = _idle(found, params)
    assert finding.status is status
    assert finding.evidence["max_stopped_days"] == (params or StoppedParams()).max_stopped_days


def test_unknown_stop_time_is_reported_in_evidence():
    odd = _instance("i-odd", state="stopped", reason="Server.ScheduledStop: retirement")
    [finding] = _idle([odd])
    assert finding.evidence["stop_time_unknown"] == ["i-odd"]


def test_lifecycle_error_names_the_missing_permission():
    failure = FactFailure("access denied", "s3:GetLifecycleConfiguration")
    [finding] = run_on_facts(
        s3_lifecycle,
        {buckets: ()},
        region=REGION,
        regions=(REGION,),
        failures={bucket_lifecycles: failure},
    )
    assert finding.status is Status.ERROR
    assert finding.evidence["missing_permission"] == "s3:GetLifecycleConfiguration"


# --- end to end, against the sandbox -----------------------------------------------------------


def _audit(ids: list[str], clock: datetime | None = None):
    return audit(ids, REGIONS, clock)


def _launch(sandbox, region: str, kind: str) -> str:
    [instance] = sandbox.client("ec2", region).run_instances(
        ImageId="ami-12345678", InstanceType=kind, MinCount=1, MaxCount=1
    )["Instances"]
    return str(instance["InstanceId"])


def test_graviton_counts_every_audited_region(sandbox):
    _launch(sandbox, "us-east-1", "m5.large")
    _launch(sandbox, "eu-west-1", "t3.medium")
    [finding] = _audit(["sus.graviton-adoption"]).findings
    assert finding.status is Status.WARN
    assert finding.evidence["total_vcpus"] == 4
    assert {c["region"] for c in finding.evidence["graviton_candidates"]} == set(REGIONS)


def test_s3_lifecycle_reports_buckets_in_their_region(sandbox):
    s3 = sandbox.client("s3")
    s3.create_bucket(Bucket="mublog-logs")
    s3.create_bucket(Bucket="mublog-avatars")
    s3.put_bucket_lifecycle_configuration(
        Bucket="mublog-avatars",
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "ia",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "Expiration": {"Days": 9},
                }
            ]
        },
    )
    sandbox.client("s3", "eu-west-1").create_bucket(
        Bucket="mublog-logs-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    sandbox.client("s3", "ap-south-1").create_bucket(
        Bucket="not-audited", CreateBucketConfiguration={"LocationConstraint": "ap-south-1"}
    )
    got = {(f.region, f.status, f.resource) for f in _audit(["sus.s3-lifecycle"]).findings}
    assert got == {
        ("us-east-1", Status.FAIL, "arn:aws:s3:::mublog-logs"),
        ("eu-west-1", Status.FAIL, "arn:aws:s3:::mublog-logs-eu"),
    }


def test_s3_lifecycle_one_unreadable_bucket_is_error_for_that_bucket(sandbox, monkeypatch):
    s3 = sandbox.client("s3")
    for name in ("mublog-logs", "mublog-private"):
        s3.create_bucket(Bucket=name)
    sandbox.enforce_iam(
        monkeypatch,
        deny=["s3:GetLifecycleConfiguration"],
        resources=("arn:aws:s3:::mublog-private",),
    )
    findings = {
        f.resource: f for f in _audit(["sus.s3-lifecycle"]).findings if f.region == "us-east-1"
    }
    assert {arn: f.status for arn, f in findings.items()} == {
        "arn:aws:s3:::mublog-logs": Status.FAIL,
        "arn:aws:s3:::mublog-private": Status.ERROR,
    }
    error = findings["arn:aws:s3:::mublog-private"]
    assert error.evidence["missing_permission"] == "s3:GetLifecycleConfiguration"
    assert error.best_practices == ("SUS04-BP03", "SUS04-BP02")


def test_stopped_instance_ages_with_the_run_clock(sandbox):
    instance_id = _launch(sandbox, REGION, "t3.micro")
    sandbox.client("ec2", REGION).stop_instances(InstanceIds=[instance_id])
    now = datetime.now(UTC)
    fresh = _audit(["sus.idle-stopped-instances"], clock=now).findings
    later = _audit(["sus.idle-stopped-instances"], clock=now + timedelta(days=45)).findings
    assert {(f.region, f.status) for f in fresh} == {(r, Status.PASS) for r in [REGION]} | {
        ("us-east-1", Status.NOT_APPLICABLE)
    }
    [failed] = [f for f in later if f.status is Status.FAIL]
    assert failed.resource.endswith(f"instance/{instance_id}")
    assert failed.evidence["days_stopped"] in (44, 45)


@pytest.mark.parametrize(
    ("check_id", "denied"),
    [
        ("sus.s3-lifecycle", "s3:ListAllMyBuckets"),
        ("sus.s3-lifecycle", "s3:GetLifecycleConfiguration"),
        ("sus.idle-stopped-instances", "ec2:DescribeInstances"),
        ("sus.graviton-adoption", "ec2:DescribeInstances"),
    ],
)
def test_access_denied_is_error_naming_the_action(sandbox, monkeypatch, check_id, denied):
    sandbox.client("s3").create_bucket(Bucket="mublog-logs")
    sandbox.enforce_iam(monkeypatch, deny=[denied])
    # us-east-1 holds the bucket (and, for the global check, is where the finding lands).
    findings = [f for f in _audit([check_id]).findings if f.region in ("us-east-1", "global")]
    assert_errors_naming(findings, denied)
