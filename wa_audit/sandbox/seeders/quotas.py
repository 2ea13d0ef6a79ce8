"""Quota pressure: Elastic IPs, On-Demand vCPUs and raised quotas, on top of whatever the workload
already runs.

Targets are totals, not increments: the seeder counts what exists and adds only what is missing, so
the scenario holds whatever the workload section allocates. Applied quota values have no AWS write
API (they change when AWS approves a request), so they go into the sandbox's Service Quotas state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from wa_audit.sandbox.extensions.servicequotas import set_applied_value
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder

STANDARD_VCPUS = "L-1216C47A"
STANDARD_FAMILIES = frozenset({"a", "c", "d", "h", "i", "im", "is", "m", "r", "t", "z"})
SEED_IMAGE = "ami-12345678"
# In the UsageMetric's order: moto 5.2 matches GetMetricData dimensions order-sensitively (its
# Dimension.__lt__ is broken), where AWS does not.
USAGE_DIMENSIONS = {
    "Service": "EC2",
    "Type": "Resource",
    "Resource": "vCPU",
    "Class": "Standard/OnDemand",
}


class ElasticIps(SectionModel):
    region: str
    count: int = Field(ge=0, description="Elastic IPs the region should hold in total.")


class StandardVcpus(SectionModel):
    """Run at least ``running`` Standard vCPUs, with a quota ``headroom`` vCPUs above usage."""

    region: str
    running: int = Field(ge=1)
    headroom: int = Field(ge=0)
    instance_type: str = "m5.large"
    publish_usage_metric: bool = Field(
        default=True, description="Publish AWS/Usage ResourceCount as EC2 does every minute."
    )


class AppliedQuota(SectionModel):
    region: str
    service: str
    code: str
    value: float = Field(gt=0)


class QuotasSection(SectionModel):
    applied: tuple[AppliedQuota, ...] = ()
    elastic_ips: tuple[ElasticIps, ...] = ()
    standard_vcpus: tuple[StandardVcpus, ...] = ()


def _top_up_elastic_ips(target: ElasticIps, env: SeedEnv) -> None:
    ec2 = env.client("ec2", target.region)
    held = [a for a in ec2.describe_addresses()["Addresses"] if a.get("Domain", "vpc") == "vpc"]
    for _ in range(target.count - len(held)):
        ec2.allocate_address(Domain="vpc")


def _standard_vcpus_running(ec2: Any) -> int:
    total = 0
    for page in ec2.get_paginator("describe_instances").paginate():
        for reservation in page["Reservations"]:
            for instance in reservation["Instances"]:
                family = "".join(
                    ch for ch in instance["InstanceType"].split(".")[0] if ch.isalpha()
                )
                on_demand = "InstanceLifecycle" not in instance
                running = instance["State"]["Name"] in ("pending", "running")
                if on_demand and running and family in STANDARD_FAMILIES:
                    cpu = instance["CpuOptions"]
                    total += cpu["CoreCount"] * cpu["ThreadsPerCore"]
    return total


def _near_the_vcpu_quota(target: StandardVcpus, env: SeedEnv, now: datetime) -> None:
    ec2 = env.client("ec2", target.region)
    while (running := _standard_vcpus_running(ec2)) < target.running:
        ec2.run_instances(
            ImageId=SEED_IMAGE,
            InstanceType=target.instance_type,
            MinCount=1,
            MaxCount=1,
            TagSpecifications=[
                {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "batch-worker"}]}
            ],
        )
    set_applied_value(
        env.state, env.account_id, target.region, "ec2", STANDARD_VCPUS, running + target.headroom
    )
    if target.publish_usage_metric:
        env.client("cloudwatch", target.region).put_metric_data(
            Namespace="AWS/Usage",
            MetricData=[
                {
                    "MetricName": "ResourceCount",
                    "Dimensions": [{"Name": k, "Value": v} for k, v in USAGE_DIMENSIONS.items()],
                    "Value": running,
                    "Unit": "None",
                    "Timestamp": now,
                }
            ],
        )


def seed_quotas(section: QuotasSection, env: SeedEnv) -> None:
    for quota in section.applied:
        set_applied_value(
            env.state, env.account_id, quota.region, quota.service, quota.code, quota.value
        )
    for addresses in section.elastic_ips:
        _top_up_elastic_ips(addresses, env)
    for vcpus in section.standard_vcpus:
        _near_the_vcpu_quota(vcpus, env, env.now)


SEEDER = Seeder("quotas", QuotasSection, seed_quotas)
