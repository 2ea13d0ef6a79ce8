"""Performance efficiency checks: on facts built in the test, and end to end against the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import ACCOUNT_ID, run_on_facts
from wa_audit.checks.performance_efficiency import (
    compute_optimizer,
    gp2_volumes,
    previous_generation_instances,
)
from wa_audit.facts.compute_optimizer import EnrollmentStatus, enrollment
from wa_audit.facts.ec2 import Instance, InstanceType, Volume, instance_types, instances, volumes
from wa_audit.facts.store import FactFailure
from wa_audit.models import Status

REGION = "eu-west-1"
LAUNCHED = datetime(2025, 1, 1, tzinfo=UTC)
TYPES = {
    "m4.large": InstanceType(
        name="m4.large", current_generation=False, architectures=("x86_64",), default_vcpus=2
    ),
    "c4.xlarge": InstanceType(
        name="c4.xlarge", current_generation=False, architectures=("x86_64",), default_vcpus=4
    ),
    "t3.micro": InstanceType(
        name="t3.micro", current_generation=True, architectures=("x86_64",), default_vcpus=2
    ),
}


def _instance(instance_id: str, kind: str, state: str = "running") -> Instance:
    return Instance(
        id=instance_id,
        type=kind,
        state=state,
        availability_zone=f"{REGION}a",
        launch_time=LAUNCHED,
        architecture="x86_64",
    )


def _volume(volume_id: str, kind: str) -> Volume:
    return Volume(
        id=volume_id,
        type=kind,
        size_gib=100,
        state="in-use",
        availability_zone=f"{REGION}a",
        create_time=LAUNCHED,
    )


def _previous(found: list[Instance]):
    return run_on_facts(
        previous_generation_instances,
        {instances: tuple(found), instance_types: TYPES},
        region=REGION,
        regions=(REGION,),
    )


def test_previous_generation_instances_are_named_with_their_successor():
    findings = _previous(
        [
            _instance("i-old", "m4.large"),
            _instance("i-older", "c4.xlarge"),
            _instance("i-new", "t3.micro"),
            _instance("i-stopped", "m4.large", state="stopped"),
        ]
    )
    assert [(f.status, f.resource) for f in findings] == [
        (Status.FAIL, f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:instance/i-old"),
        (Status.FAIL, f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:instance/i-older"),
    ]
    assert [f.evidence["suggested_type"] for f in findings] == ["m7i.large", "c7i.xlarge"]
    assert "move to m7i.large" in findings[0].message
    assert findings[0].best_practices == ("PERF02-BP01", "PERF05-BP06")


@pytest.mark.parametrize(
    ("found", "status"),
    [
        ([_instance("i-new", "t3.micro")], Status.PASS),
        ([_instance("i-stopped", "m4.large", state="stopped")], Status.NOT_APPLICABLE),
        ([], Status.NOT_APPLICABLE),
    ],
)
def test_previous_generation_pass_and_not_applicable(found, status):
    [finding] = _previous(found)
    assert (finding.status, finding.resource) == (status, f"{ACCOUNT_ID}/{REGION}")


def test_gp2_volumes_one_finding_each():
    findings = run_on_facts(
        gp2_volumes,
        {volumes: (_volume("vol-a", "gp2"), _volume("vol-b", "gp3"), _volume("vol-c", "gp2"))},
        region=REGION,
        regions=(REGION,),
    )
    assert [(f.status, f.resource) for f in findings] == [
        (Status.FAIL, f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:volume/vol-a"),
        (Status.FAIL, f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:volume/vol-c"),
    ]
    assert findings[0].best_practices == ("PERF03-BP02", "PERF05-BP06")


@pytest.mark.parametrize(
    ("found", "status"),
    [((_volume("vol-b", "gp3"),), Status.PASS), ((), Status.NOT_APPLICABLE)],
)
def test_gp2_volumes_pass_and_not_applicable(found, status):
    [finding] = run_on_facts(gp2_volumes, {volumes: found}, region=REGION, regions=(REGION,))
    assert finding.status is status


@pytest.mark.parametrize(
    ("status", "expected"),
    [("Active", Status.PASS), ("Inactive", Status.FAIL), ("Pending", Status.FAIL)],
)
def test_compute_optimizer(status, expected):
    [finding] = run_on_facts(compute_optimizer, {enrollment: EnrollmentStatus(status=status)})
    assert (finding.status, finding.resource) == (expected, f"arn:aws:iam::{ACCOUNT_ID}:root")
    assert finding.evidence["status"] == status
    assert finding.best_practices == ("PERF02-BP04",)


def test_missing_instance_types_permission_is_error():
    failure = FactFailure("access denied", "ec2:DescribeInstanceTypes")
    [finding] = run_on_facts(
        previous_generation_instances,
        {instances: (_instance("i-old", "m4.large"),)},
        region=REGION,
        regions=(REGION,),
        failures={instance_types: failure},
    )
    assert finding.status is Status.ERROR
    assert finding.evidence["missing_permission"] == "ec2:DescribeInstanceTypes"


# --- end to end, against the sandbox -----------------------------------------------------------

IDS = ["perf.previous-generation-instances", "perf.gp2-volumes", "perf.compute-optimizer"]


def _audit(ids: list[str] = IDS):
    return audit(ids, (REGION,))


def _launch(sandbox, kind: str, volume_type: str) -> str:
    ec2 = sandbox.client("ec2", REGION)
    [instance] = ec2.run_instances(
        ImageId="ami-12345678",
        InstanceType=kind,
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": volume_type}}
        ],
    )["Instances"]
    return str(instance["InstanceId"])


def test_sample_like_account_fails(sandbox):
    old = _launch(sandbox, "m4.large", "gp2")
    _launch(sandbox, "t3.micro", "gp3")
    got = {(f.check_id, f.status, f.resource.rsplit("/", 1)[-1]) for f in _audit().findings}
    gp2 = {r for (c, s, r) in got if c == "perf.gp2-volumes"}
    assert ("perf.previous-generation-instances", Status.FAIL, old) in got
    assert ("perf.compute-optimizer", Status.FAIL, "arn:aws:iam::123456789012:root") in got
    assert len(gp2) == 1
    assert {s for (c, s, r) in got if c == "perf.gp2-volumes"} == {Status.FAIL}


def test_clean_like_account_passes(sandbox):
    _launch(sandbox, "m7i.large", "gp3")
    sandbox.client("compute-optimizer").update_enrollment_status(status="Active")
    findings = _audit().findings
    assert {f.check_id: f.status for f in findings} == {check_id: Status.PASS for check_id in IDS}


@pytest.mark.parametrize(
    ("check_id", "denied"),
    [
        ("perf.previous-generation-instances", "ec2:DescribeInstances"),
        ("perf.gp2-volumes", "ec2:DescribeVolumes"),
        ("perf.compute-optimizer", "compute-optimizer:GetEnrollmentStatus"),
    ],
)
def test_access_denied_is_error_naming_the_action(sandbox, monkeypatch, check_id, denied):
    sandbox.enforce_iam(monkeypatch, deny=[denied])
    assert_errors_naming(_audit([check_id]).findings, denied)
