"""IMDSv2, public instances and public snapshots/AMIs: against the sandbox for a compliant and a
non-compliant account, and on facts for what the sandbox cannot show."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.checks import network_accounts as net
from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import run_on_facts
from wa_audit.checks.security_instances import ec2_imdsv2
from wa_audit.facts.ec2 import Instance, instances
from wa_audit.models import Status

CHECKS = ["sec.ec2-imdsv2", "sec.ec2-public-instances", "sec.public-snapshots-amis"]
BPS = {
    "sec.ec2-imdsv2": ("SEC06-BP02",),
    "sec.ec2-public-instances": ("SEC05-BP01",),
    "sec.public-snapshots-amis": ("SEC03-BP07", "SEC08-BP04"),
}


def test_non_compliant_account(sandbox):
    net.seed(sandbox, net.bad_network())
    found = net.findings(CHECKS, regions=(net.EAST,))
    ids = net.named(sandbox, net.EAST, "describe_instances", "Reservations", "InstanceId")
    ec2 = sandbox.client("ec2", net.EAST)
    [snapshot] = ec2.describe_snapshots(
        Filters=[{"Name": "tag:Name", "Values": ["old-data-copy"]}]
    )["Snapshots"]

    assert net.summary(found["sec.ec2-imdsv2"]) == [
        ("FAIL", net.EAST, net.ec2_arn(net.EAST, "instance", ids[name]))
        for name in ("app-1", "bastion")
    ]
    assert found["sec.ec2-imdsv2"][0].evidence["HttpTokens"] == "optional"
    assert net.summary(found["sec.ec2-public-instances"]) == [
        ("FAIL", net.EAST, net.ec2_arn(net.EAST, "instance", ids["bastion"]))
    ]
    assert found["sec.ec2-public-instances"][0].evidence["public_ip"]
    assert net.summary(found["sec.public-snapshots-amis"]) == [
        ("FAIL", net.EAST, f"arn:aws:ec2:{net.EAST}::snapshot/{snapshot['SnapshotId']}")
    ]
    for check_id, findings in found.items():
        assert {f.best_practices for f in findings} == {BPS[check_id]}


def test_a_public_ami_fails(sandbox):
    net.seed(sandbox, net.good_network())
    ec2 = sandbox.client("ec2", net.EAST)
    [image] = ec2.describe_images(Owners=["self"])["Images"]
    ec2.modify_image_attribute(
        ImageId=image["ImageId"], LaunchPermission={"Add": [{"Group": "all"}]}
    )
    [finding] = net.findings(["sec.public-snapshots-amis"], (net.EAST,))[
        "sec.public-snapshots-amis"
    ]
    assert (finding.status, finding.resource) == (
        Status.FAIL,
        f"arn:aws:ec2:{net.EAST}::image/{image['ImageId']}",
    )
    assert "AMI app-image" in finding.message


def test_compliant_account(sandbox):
    net.seed(sandbox, net.good_network())
    ec2 = sandbox.client("ec2", net.EAST)
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    ec2.create_snapshot(VolumeId=volume)  # private: only the account may restore it
    found = net.findings(CHECKS, regions=(net.EAST,))
    assert {check_id: net.summary(f) for check_id, f in found.items()} == {
        check_id: [("PASS", net.EAST, net.region_resource(net.EAST))] for check_id in CHECKS
    }
    for check_id, findings in found.items():
        assert {f.best_practices for f in findings} == {BPS[check_id]}


def test_snapshots_denied_is_an_error_naming_the_action(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["ec2:DescribeSnapshots"])
    found = audit(["sec.public-snapshots-amis"], (net.EAST,)).findings
    assert_errors_naming(found, "ec2:DescribeSnapshots")


def _instance(**metadata: str | None) -> Instance:
    return Instance(
        id="i-1",
        type="t3.micro",
        state="running",
        availability_zone="us-east-1a",
        launch_time=datetime(2026, 1, 1, tzinfo=UTC),
        architecture="x86_64",
        **metadata,
    )


@pytest.mark.parametrize(
    ("metadata", "status"),
    [
        ({"http_tokens": "optional", "http_endpoint": "disabled"}, Status.PASS),
        ({"http_tokens": "required"}, Status.PASS),
        ({"http_tokens": "optional", "http_endpoint": "enabled"}, Status.FAIL),
        ({}, Status.WARN),  # no MetadataOptions in the answer: not read as "IMDSv1 on"
    ],
)
def test_imds_verdicts(metadata, status):
    [finding] = run_on_facts(ec2_imdsv2, {instances: (_instance(**metadata),)}, region="us-east-1")
    assert finding.status is status
