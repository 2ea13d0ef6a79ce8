"""EC2 as AWS answers it: AMI architectures, GMT stop reasons, unassociated addresses."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import response_problems
from wa_audit.sandbox.scenario import SeedEnv
from wa_audit.sandbox.seeders.moto_model import backdate_instance

REGION = "eu-west-1"
GMT_REASON = re.compile(r"^User initiated \((\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) GMT\)$")


def _instance(ec2, image_id: str) -> str:
    return ec2.run_instances(ImageId=image_id, InstanceType="t4g.small", MinCount=1, MaxCount=1)[
        "Instances"
    ][0]["InstanceId"]


def _described(ec2, instance_id: str) -> dict:
    answer = ec2.describe_instances(InstanceIds=[instance_id])
    assert response_problems("ec2", "DescribeInstances", answer) == []
    return answer["Reservations"][0]["Instances"][0]


@pytest.mark.parametrize(
    ("asked", "expected"), [({"Architecture": "arm64"}, "arm64"), ({}, "i386")]
)
def test_registered_image_keeps_its_architecture_and_so_do_its_instances(sandbox, asked, expected):
    ec2 = sandbox.client("ec2", REGION)
    image_id = ec2.register_image(Name="mublog-api", RootDeviceName="/dev/xvda", **asked)["ImageId"]

    images = ec2.describe_images(ImageIds=[image_id])
    assert response_problems("ec2", "DescribeImages", images) == []
    assert images["Images"][0]["Architecture"] == expected
    assert _described(ec2, _instance(ec2, image_id))["Architecture"] == expected


@pytest.mark.parametrize("operation", ["stop_instances", "terminate_instances"])
def test_stopping_writes_the_reason_in_gmt_as_aws_does(sandbox, operation):
    ec2 = sandbox.client("ec2", REGION)
    image_id = ec2.register_image(Name="mublog-api", Architecture="arm64")["ImageId"]
    instance_id = _instance(ec2, image_id)
    before = datetime.now(UTC).replace(microsecond=0)

    getattr(ec2, operation)(InstanceIds=[instance_id])

    reason = _described(ec2, instance_id)["StateTransitionReason"]
    match = GMT_REASON.match(reason)
    assert match, reason
    stopped = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert before <= stopped <= datetime.now(UTC)


def test_backdated_instance_reports_its_past(sandbox):
    ec2 = sandbox.client("ec2", REGION)
    instance_id = _instance(
        ec2, ec2.register_image(Name="mublog-api", Architecture="arm64")["ImageId"]
    )
    ec2.stop_instances(InstanceIds=[instance_id])
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    env = SeedEnv(url=sandbox.url, state=sandbox.state, regions=(REGION,), now=now)

    backdate_instance(env, REGION, instance_id, now - timedelta(days=400), now - timedelta(days=45))

    described = _described(ec2, instance_id)
    assert described["LaunchTime"] == now - timedelta(days=400)
    assert described["StateTransitionReason"] == "User initiated (2026-10-15 12:00:00 GMT)"
    [volume] = ec2.describe_volumes(
        Filters=[{"Name": "attachment.instance-id", "Values": [instance_id]}]
    )["Volumes"]
    assert volume["CreateTime"] == now - timedelta(days=400)
    assert volume["Attachments"][0]["AttachTime"] == now - timedelta(days=400)


def test_backdating_a_stop_needs_a_stopped_instance(sandbox):
    ec2 = sandbox.client("ec2", REGION)
    instance_id = _instance(
        ec2, ec2.register_image(Name="mublog-api", Architecture="arm64")["ImageId"]
    )
    env = SeedEnv(url=sandbox.url, state=sandbox.state, regions=(REGION,))
    with pytest.raises(ValueError, match="stop it before backdating"):
        backdate_instance(env, REGION, instance_id, env.now, env.now)


def test_unassociated_address_lists_no_instance_or_interface(sandbox):
    ec2 = sandbox.client("ec2", REGION)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    instance_id = _instance(
        ec2, ec2.register_image(Name="mublog-api", Architecture="arm64")["ImageId"]
    )
    associated = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=associated, InstanceId=instance_id)

    answer = ec2.describe_addresses()

    assert response_problems("ec2", "DescribeAddresses", answer) == []
    by_id = {a["AllocationId"]: a for a in answer["Addresses"]}
    assert set(by_id[allocation]) == {"AllocationId", "Domain", "PublicIp", "Tags"}
    assert by_id[associated]["InstanceId"] == instance_id
    assert by_id[associated]["AssociationId"].startswith("eipassoc-")


def test_describe_instance_types_takes_at_most_100_names(sandbox):
    ec2 = sandbox.client("ec2", REGION)
    names = sorted(t["InstanceType"] for t in ec2.describe_instance_types()["InstanceTypes"])
    assert len(names) > 100
    answer = ec2.describe_instance_types(InstanceTypes=names[:100])
    assert response_problems("ec2", "DescribeInstanceTypes", answer) == []
    assert len(answer["InstanceTypes"]) == 100
    with pytest.raises(ClientError) as refused:
        ec2.describe_instance_types(InstanceTypes=names[:101])
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_managed_prefix_lists_answer_in_their_shape_aws_ones_without_max_entries(sandbox):
    """What the rules-per-group counter weighs: a customer list's MaxEntries; AWS's lists (owner
    ``AWS``) carry none, their weight is documented (VPC User Guide)."""
    ec2 = sandbox.client("ec2", REGION)
    office = ec2.create_managed_prefix_list(
        PrefixListName="office", MaxEntries=20, AddressFamily="IPv6"
    )["PrefixList"]["PrefixListId"]

    answer = ec2.describe_managed_prefix_lists()

    assert response_problems("ec2", "DescribeManagedPrefixLists", answer) == []
    by_name = {p["PrefixListName"]: p for p in answer["PrefixLists"]}
    assert (by_name["office"]["PrefixListId"], by_name["office"]["MaxEntries"]) == (office, 20)
    assert by_name["office"]["AddressFamily"] == "IPv6"
    for name in (f"com.amazonaws.{REGION}.s3", "com.amazonaws.global.cloudfront.origin-facing"):
        assert (by_name[name]["OwnerId"], "MaxEntries" in by_name[name]) == ("AWS", False)
