"""Seeding the serverless section alone (plus instances) for the serverless and fleet check tests."""

from __future__ import annotations

from typing import Any

from tests.helpers import ACCOUNT_ID
from wa_audit.sandbox.seeders.serverless import ServerlessSection

REGION = "us-east-1"
REGIONS = (REGION,)


def function_arn(name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}"


def region_resource() -> str:
    return f"{ACCOUNT_ID}/{REGION}"


def seed(sandbox: Any, **section: Any) -> None:
    sandbox.seed_section("serverless", ServerlessSection.model_validate(section), REGIONS)


def run_instances(sandbox: Any, *names: str) -> dict[str, str]:
    """Running instances tagged with ``names``: Name → instance id."""
    ec2 = sandbox.client("ec2")
    image = ec2.register_image(
        Name="fleet-test",
        Architecture="x86_64",
        RootDeviceName="/dev/xvda",
        VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
    )["ImageId"]
    found = {}
    for name in names:
        reservation = ec2.run_instances(
            ImageId=image,
            MinCount=1,
            MaxCount=1,
            InstanceType="t3.micro",
            TagSpecifications=[
                {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}
            ],
        )
        found[name] = reservation["Instances"][0]["InstanceId"]
    return found


def findings_of(report: Any, check_id: str) -> list[tuple[Any, str, str]]:
    return [(f.status, f.resource, f.region) for f in report.findings if f.check_id == check_id]
