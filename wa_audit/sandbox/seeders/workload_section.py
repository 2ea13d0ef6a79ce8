"""The ``workload`` section's shape: what a scenario writes, validated before anything is made.

Its own module because both the seeder (:mod:`.workload`) and the builder
(:mod:`.workload_resources`) read it, and other sections name the workload's subnets and groups.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from wa_audit.sandbox.scenario import SectionModel
from wa_audit.sandbox.seeders.common import Subscriber

VolumeType = Literal["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"]


class Subnet(SectionModel):
    name: str
    cidr: str
    zone: str
    """The AZ letter: ``a`` is ``us-east-1a`` in us-east-1."""
    public: bool = False


class Network(SectionModel):
    name: str
    cidr: str
    subnets: tuple[Subnet, ...]


class Ingress(SectionModel):
    """Traffic a security group admits: from a CIDR range or from another group of the region."""

    port: int
    cidr: str | None = None
    source_group: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Ingress:
        if (self.cidr is None) == (self.source_group is None):
            raise ValueError("give exactly one of cidr and source_group")
        return self


class SecurityGroup(SectionModel):
    name: str
    description: str
    ingress: tuple[Ingress, ...] = ()


class Image(SectionModel):
    """An AMI the company built (moto ships none here: its default AMIs are not loaded)."""

    name: str
    architecture: Literal["x86_64", "arm64"]


class RootVolume(SectionModel):
    size_gib: int = 8
    type: VolumeType = "gp3"


class Instance(SectionModel):
    name: str
    type: str
    image: str
    subnet: str
    security_groups: tuple[str, ...] = ()
    root_volume: RootVolume = RootVolume()
    launched_days_ago: int = 0
    stopped_days_ago: int | None = None
    """Stopped by a user that many days ago; None for a running instance."""


class LoadBalancer(SectionModel):
    """An application load balancer with one HTTP listener forwarding to one target group."""

    name: str
    subnets: tuple[str, ...]
    security_groups: tuple[str, ...] = ()
    target_group: str
    target_port: int = 8080
    health_check_path: str = "/health"
    targets: tuple[str, ...] = ()
    """Names of instances registered in the target group."""


class AutoScalingGroup(SectionModel):
    """A group launched from its own launch template, registered in a load balancer's targets."""

    name: str
    launch_template: str
    instance_type: str
    image: str
    subnets: tuple[str, ...]
    security_groups: tuple[str, ...] = ()
    root_volume: RootVolume = RootVolume()
    min_size: int = 1
    max_size: int = 4
    desired_capacity: int = 2
    target_group: str | None = None
    """Name of a load balancer's target group; health checks then come from the load balancer."""


class Database(SectionModel):
    identifier: str
    engine: str = "postgres"
    engine_version: str = "16.4"
    instance_class: str = "db.t3.medium"
    allocated_storage_gib: int = 20
    storage_type: VolumeType = "gp3"
    storage_encrypted: bool = True
    multi_az: bool = False
    backup_retention_days: int = 1
    publicly_accessible: bool = False
    performance_insights: bool = False
    max_allocated_storage_gib: int | None = None
    """Storage autoscaling's ceiling; None leaves it off."""
    subnets: tuple[str, ...]
    security_groups: tuple[str, ...] = ()


class Table(SectionModel):
    name: str
    partition_key: str = "pk"
    sort_key: str | None = None
    point_in_time_recovery: bool = False


class LifecycleRule(SectionModel):
    id: str
    prefix: str = ""
    transition_days: int | None = None
    transition_storage_class: str = "STANDARD_IA"
    expiration_days: int | None = None


class Bucket(SectionModel):
    name: str
    """``{account_id}`` and ``{region}`` are replaced: bucket names are global."""
    lifecycle_rules: tuple[LifecycleRule, ...] = ()


class Topic(SectionModel):
    name: str
    subscribers: tuple[Subscriber, ...] = ()


class Volume(SectionModel):
    """A volume attached to nothing (left over after its instance was terminated, say)."""

    name: str
    zone: str
    size_gib: int
    type: VolumeType = "gp3"
    created_days_ago: int = 0


class ElasticIp(SectionModel):
    name: str
    instance: str | None = None
    """The instance it is associated with; None for an address that costs money for nothing."""


class RegionWorkload(SectionModel):
    network: Network
    security_groups: tuple[SecurityGroup, ...] = ()
    images: tuple[Image, ...] = ()
    instances: tuple[Instance, ...] = ()
    load_balancers: tuple[LoadBalancer, ...] = ()
    auto_scaling_groups: tuple[AutoScalingGroup, ...] = ()
    databases: tuple[Database, ...] = ()
    tables: tuple[Table, ...] = ()
    buckets: tuple[Bucket, ...] = ()
    topics: tuple[Topic, ...] = ()
    volumes: tuple[Volume, ...] = ()
    elastic_ips: tuple[ElasticIp, ...] = ()

    @model_validator(mode="after")
    def _references_exist(self) -> RegionWorkload:
        """A name that points nowhere is a scenario error, reported when the file is loaded."""
        known = {
            "subnet": {s.name for s in self.network.subnets},
            "security group": {g.name for g in self.security_groups},
            "image": {i.name for i in self.images},
            "instance": {i.name for i in self.instances},
            "target group": {lb.target_group for lb in self.load_balancers},
        }
        wanted: list[tuple[str, str, str]] = [
            *(
                ("security group", i.source_group, g.name)
                for g in self.security_groups
                for i in g.ingress
                if i.source_group
            ),
            *(("image", i.image, i.name) for i in self.instances),
            *(("subnet", i.subnet, i.name) for i in self.instances),
            *(("security group", g, i.name) for i in self.instances for g in i.security_groups),
            *(("subnet", s, lb.name) for lb in self.load_balancers for s in lb.subnets),
            *(
                ("security group", g, lb.name)
                for lb in self.load_balancers
                for g in lb.security_groups
            ),
            *(("instance", t, lb.name) for lb in self.load_balancers for t in lb.targets),
            *(("image", a.image, a.name) for a in self.auto_scaling_groups),
            *(("subnet", s, a.name) for a in self.auto_scaling_groups for s in a.subnets),
            *(
                ("security group", g, a.name)
                for a in self.auto_scaling_groups
                for g in a.security_groups
            ),
            *(
                ("target group", a.target_group, a.name)
                for a in self.auto_scaling_groups
                if a.target_group
            ),
            *(("subnet", s, d.identifier) for d in self.databases for s in d.subnets),
            *(
                ("security group", g, d.identifier)
                for d in self.databases
                for g in d.security_groups
            ),
            *(("instance", e.instance, e.name) for e in self.elastic_ips if e.instance),
        ]
        for kind, name, user in wanted:
            if name not in known[kind]:
                raise ValueError(f"{user}: no {kind} named {name!r} in this region")
        return self


class WorkloadSection(SectionModel):
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags on every resource that takes tags (besides its ``Name``)."""
    regions: dict[str, RegionWorkload]
