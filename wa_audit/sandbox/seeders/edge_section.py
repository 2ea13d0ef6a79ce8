"""The edge section's shape: certificates, load balancers, web ACLs and distributions as data.

Its own module because both the seeder (:mod:`.edge`) and the builder (:mod:`.edge_resources`)
read it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from wa_audit.sandbox.scenario import SectionModel


class Certificate(SectionModel):
    name: str
    domain: str
    valid_days: int = Field(description="Days from now until it expires (imported: no renewal).")


class NewBalancer(SectionModel):
    type: Literal["application", "network"] = "application"
    subnets: tuple[str, ...]
    security_groups: tuple[str, ...] = ()
    target_group: str
    target_port: int = 8080
    listener_port: int = 80
    """An HTTP listener (ALB) or a TCP one (NLB, TLS passed through to the targets)."""
    targets: tuple[str, ...] = ()
    """Instance names; none for a load balancer left with nothing behind it."""


class Https(SectionModel):
    certificate: str
    ssl_policy: str = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    port: int = 443


class Balancer(SectionModel):
    name: str
    create: NewBalancer | None = None
    """None: the workload section's load balancer of this name."""
    https: Https | None = None
    """An HTTPS (ALB) or TLS (NLB) listener forwarding to the load balancer's target group."""
    http_redirect: bool = False
    """The ALB's HTTP listener redirects to HTTPS instead of forwarding."""
    access_logs_bucket: str | None = None
    deletion_protection: bool = False
    cross_zone: bool | None = None
    web_acl: str | None = None


class RegionEdge(SectionModel):
    certificates: tuple[Certificate, ...] = ()
    web_acls: tuple[str, ...] = ()
    load_balancers: tuple[Balancer, ...] = ()


class Origin(SectionModel):
    id: str
    bucket: str | None = None
    """An S3 bucket (REST endpoint); else ``load_balancer`` in us-east-1 as a custom origin."""
    load_balancer: str | None = None
    origin_access_control: bool = False
    protocol_policy: Literal["http-only", "match-viewer", "https-only"] = "https-only"


class Distribution(SectionModel):
    comment: str
    origins: tuple[Origin, ...]
    viewer_protocol_policy: Literal["allow-all", "redirect-to-https", "https-only"]
    compress: bool = True
    http_version: Literal["http1.1", "http2", "http3", "http2and3"] = "http2and3"
    certificate: str | None = None
    """A us-east-1 certificate and aliases; None for the default *.cloudfront.net one."""
    aliases: tuple[str, ...] = ()
    minimum_protocol_version: str = "TLSv1.2_2021"
    log_bucket: str | None = None
    web_acl: str | None = None
    """A web ACL of scope CLOUDFRONT (created in us-east-1)."""


class EdgeSection(SectionModel):
    regions: dict[str, RegionEdge] = Field(default_factory=dict)
    cloudfront_web_acls: tuple[str, ...] = ()
    distributions: tuple[Distribution, ...] = ()
