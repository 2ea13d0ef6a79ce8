"""EC2 facts shared by several pillars: instances, their types, volumes and Elastic IPs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

INSTANCE_TYPES_PER_CALL = 100
"""DescribeInstanceTypes takes at most 100 names (botocore: ``RequestInstanceTypeList`` max 100)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Instance(_Model):
    id: str
    type: str
    state: str
    availability_zone: str
    launch_time: datetime
    architecture: str
    vcpus: int | None = None
    """Cores times threads per core (``CpuOptions``), as the On-Demand vCPU quotas count them."""
    state_transition_reason: str = ""
    lifecycle: str | None = None
    """``spot``, ``scheduled`` or ``capacity-block``; None for On-Demand."""
    volume_ids: tuple[str, ...] = ()
    tags: dict[str, str] = {}
    public_ip: str | None = None
    http_tokens: str | None = None
    """``MetadataOptions.HttpTokens``: ``required`` means IMDSv2 only; None when not reported."""
    http_endpoint: str | None = None
    """``MetadataOptions.HttpEndpoint``: ``disabled`` turns the metadata service off."""

    @property
    def family(self) -> str:
        return self.type.split(".")[0]

    @property
    def transition_time(self) -> datetime | None:
        """When the instance last changed state, if AWS says (``User initiated (… GMT)``)."""
        return parse_transition_time(self.state_transition_reason)


class InstanceType(_Model):
    name: str
    current_generation: bool
    architectures: tuple[str, ...]
    default_vcpus: int


class Volume(_Model):
    id: str
    type: str
    size_gib: int
    state: str
    availability_zone: str
    create_time: datetime
    iops: int | None = None
    throughput: int | None = None
    """Provisioned MiB/s (gp3 only)."""
    attached_instance_ids: tuple[str, ...] = ()
    tags: dict[str, str] = {}


class Address(_Model):
    public_ip: str
    allocation_id: str | None
    association_id: str | None
    domain: str
    tags: dict[str, str] = {}

    @property
    def associated(self) -> bool:
        return self.association_id is not None


_TRANSITION_TIME = re.compile(
    r"\((\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?\s*(?:GMT|UTC|Z)?\s*\)"
)


def parse_transition_time(reason: str) -> datetime | None:
    """The UTC time in a ``StateTransitionReason`` such as ``User initiated (2024-01-02 03:04:05
    GMT)``; None when the reason carries none (``Server.ScheduledStop: …``) or it is malformed."""
    match = _TRANSITION_TIME.search(reason or "")
    if match is None:
        return None
    try:
        parsed = datetime.strptime(f"{match[1]} {match[2]}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


def _tags(raw: list[dict[str, str]] | None) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in raw or []}


@fact("ec2.instances", regional=True, permissions=["ec2:DescribeInstances"])
def instances(ctx: FetchContext) -> tuple[Instance, ...]:
    found = []
    for reservation in ctx.paginate("ec2", "describe_instances", "Reservations"):
        for raw in reservation["Instances"]:
            cpu = raw.get("CpuOptions")
            found.append(
                Instance(
                    id=raw["InstanceId"],
                    type=raw["InstanceType"],
                    state=raw["State"]["Name"],
                    availability_zone=raw["Placement"]["AvailabilityZone"],
                    launch_time=raw["LaunchTime"],
                    architecture=raw.get("Architecture", "x86_64"),
                    vcpus=cpu["CoreCount"] * cpu.get("ThreadsPerCore", 1) if cpu else None,
                    state_transition_reason=raw.get("StateTransitionReason", ""),
                    lifecycle=raw.get("InstanceLifecycle"),
                    volume_ids=tuple(
                        m["Ebs"]["VolumeId"]
                        for m in raw.get("BlockDeviceMappings", [])
                        if "Ebs" in m
                    ),
                    tags=_tags(raw.get("Tags")),
                    public_ip=raw.get("PublicIpAddress"),
                    http_tokens=raw.get("MetadataOptions", {}).get("HttpTokens"),
                    http_endpoint=raw.get("MetadataOptions", {}).get("HttpEndpoint"),
                )
            )
    return tuple(found)


@fact(
    "ec2.instance_types",
    regional=True,
    permissions=["ec2:DescribeInstanceTypes"],
    needs=(instances,),
)
def instance_types(ctx: FetchContext) -> dict[str, InstanceType]:
    """Only the types the account runs: one call per 100 of them, not the catalogue of 800+."""
    names = sorted({instance.type for instance in ctx.get(instances)})
    found = {}
    for start in range(0, len(names), INSTANCE_TYPES_PER_CALL):
        chunk = names[start : start + INSTANCE_TYPES_PER_CALL]
        for raw in ctx.paginate(
            "ec2", "describe_instance_types", "InstanceTypes", InstanceTypes=chunk
        ):
            found[raw["InstanceType"]] = _instance_type(raw)
    return found


def _instance_type(raw: dict[str, Any]) -> InstanceType:
    return InstanceType(
        name=raw["InstanceType"],
        current_generation=raw.get("CurrentGeneration", True),
        architectures=tuple(raw.get("ProcessorInfo", {}).get("SupportedArchitectures", [])),
        default_vcpus=raw.get("VCpuInfo", {}).get("DefaultVCpus", 0),
    )


@fact("ec2.volumes", regional=True, permissions=["ec2:DescribeVolumes"])
def volumes(ctx: FetchContext) -> tuple[Volume, ...]:
    return tuple(
        Volume(
            id=raw["VolumeId"],
            type=raw["VolumeType"],
            size_gib=raw["Size"],
            state=raw["State"],
            availability_zone=raw["AvailabilityZone"],
            create_time=raw["CreateTime"],
            iops=raw.get("Iops"),
            throughput=raw.get("Throughput"),
            attached_instance_ids=tuple(a["InstanceId"] for a in raw.get("Attachments", [])),
            tags=_tags(raw.get("Tags")),
        )
        for raw in ctx.paginate("ec2", "describe_volumes", "Volumes")
    )


@fact("ec2.addresses", regional=True, permissions=["ec2:DescribeAddresses"])
def addresses(ctx: FetchContext) -> tuple[Address, ...]:
    response = ctx.client("ec2").describe_addresses()  # not paginated by AWS
    return tuple(
        Address(
            public_ip=raw["PublicIp"],
            allocation_id=raw.get("AllocationId"),
            association_id=raw.get("AssociationId"),
            domain=raw.get("Domain", "vpc"),
            tags=_tags(raw.get("Tags")),
        )
        for raw in response["Addresses"]
    )


@fact(
    "ec2.ebs_encryption_by_default",
    regional=True,
    permissions=["ec2:GetEbsEncryptionByDefault"],
)
def ebs_encryption_by_default(ctx: FetchContext) -> bool:
    """Whether new EBS volumes in the region are encrypted whatever their creator asks."""
    return bool(ctx.client("ec2").get_ebs_encryption_by_default()["EbsEncryptionByDefault"])
