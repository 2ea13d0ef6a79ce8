"""CloudFront facts (a global service): the account's distributions and where their access logs go.

ListDistributions' summaries carry origins, cache behaviours, viewer certificate, web ACL and HTTP
version, but not ``Logging``: that is only in GetDistributionConfig, read per distribution (no
list-level equivalent). Standard logging v2 is not in the distribution at all: it is a CloudWatch
Logs delivery source for the distribution's ARN with a delivery (CloudFront Developer Guide,
"Standard logging (v2)"), created in us-east-1, the home region of the ``aws`` partition.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

S3_DOMAIN = re.compile(r"\.s3([.-][a-z0-9-]+)*\.amazonaws\.com(\.cn)?$")
"""A bucket's REST or website endpoint (``b.s3.amazonaws.com``, ``b.s3.eu-west-1.amazonaws.com``,
``b.s3-website-us-east-1.amazonaws.com``)."""


class Origin(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    domain: str
    s3_config: bool
    """An S3OriginConfig: a bucket's REST endpoint, which OAC or OAI can protect."""
    origin_access_control_id: str = ""
    origin_access_identity: str = ""
    protocol_policy: str | None = None
    """CustomOriginConfig.OriginProtocolPolicy: ``http-only``, ``match-viewer``, ``https-only``."""

    @property
    def is_s3(self) -> bool:
        return self.s3_config or bool(S3_DOMAIN.search(self.domain))

    @property
    def is_s3_website(self) -> bool:
        return "s3-website" in self.domain


class Behavior(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    """``*`` for the default cache behaviour."""
    viewer_protocol_policy: str
    compress: bool


class Distribution(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    arn: str
    domain: str
    enabled: bool
    origins: tuple[Origin, ...]
    behaviors: tuple[Behavior, ...]
    default_certificate: bool
    """Served on ``*.cloudfront.net`` with CloudFront's certificate: TLSv1 minimum, not settable."""
    minimum_protocol_version: str | None = None
    web_acl_id: str = ""
    http_version: str = "http2"


def _origin(raw: dict[str, Any]) -> Origin:
    custom = raw.get("CustomOriginConfig") or {}
    return Origin(
        id=raw["Id"],
        domain=raw["DomainName"],
        s3_config="S3OriginConfig" in raw,
        origin_access_control_id=raw.get("OriginAccessControlId") or "",
        origin_access_identity=(raw.get("S3OriginConfig") or {}).get("OriginAccessIdentity") or "",
        protocol_policy=custom.get("OriginProtocolPolicy"),
    )


def _behavior(raw: dict[str, Any], path: str) -> Behavior:
    return Behavior(
        path=path,
        viewer_protocol_policy=raw["ViewerProtocolPolicy"],
        compress=bool(raw.get("Compress", False)),
    )


def _distribution(raw: dict[str, Any]) -> Distribution:
    certificate = raw.get("ViewerCertificate") or {}
    behaviors = [_behavior(raw["DefaultCacheBehavior"], "*")] + [
        _behavior(b, b["PathPattern"]) for b in raw["CacheBehaviors"].get("Items", [])
    ]
    return Distribution(
        id=raw["Id"],
        arn=raw["ARN"],
        domain=raw["DomainName"],
        enabled=raw["Enabled"],
        origins=tuple(_origin(o) for o in raw["Origins"].get("Items", [])),
        behaviors=tuple(behaviors),
        default_certificate=bool(certificate.get("CloudFrontDefaultCertificate", False)),
        minimum_protocol_version=certificate.get("MinimumProtocolVersion"),
        web_acl_id=raw.get("WebACLId") or "",
        http_version=raw.get("HttpVersion") or "http2",
    )


@fact("cloudfront.distributions", regional=False, permissions=["cloudfront:ListDistributions"])
def distributions(ctx: FetchContext) -> tuple[Distribution, ...]:
    """Every distribution; ``DistributionList`` is required in the answer, ``Items`` is not (empty)."""
    pages = ctx.client("cloudfront").get_paginator("list_distributions").paginate()
    return tuple(
        _distribution(raw) for page in pages for raw in page["DistributionList"].get("Items", [])
    )


class LogDelivery(BaseModel):
    model_config = ConfigDict(frozen=True)

    legacy_bucket: str | None = None
    """Logging.Bucket when legacy standard logging is on."""
    v2_destinations: tuple[str, ...] = ()
    """Delivery destination ARNs of the v2 deliveries from the distribution's delivery sources."""

    @property
    def enabled(self) -> bool:
        return bool(self.legacy_bucket or self.v2_destinations)


def _v2_destinations(ctx: FetchContext) -> dict[str, list[str]]:
    """Delivery destinations by distribution ARN, from CloudWatch Logs' delivery sources."""
    sources: dict[str, list[str]] = {}
    for source in ctx.paginate("logs", "describe_delivery_sources", "deliverySources"):
        if source.get("service") == "cloudfront" and source.get("name"):
            sources[source["name"]] = source.get("resourceArns", [])
    found: dict[str, list[str]] = {}
    for delivery in ctx.paginate("logs", "describe_deliveries", "deliveries"):
        for arn in sources.get(delivery.get("deliverySourceName", ""), []):
            found.setdefault(arn, []).append(delivery.get("deliveryDestinationArn", ""))
    return found


@fact(
    "cloudfront.logging",
    regional=False,
    permissions=[
        "cloudfront:GetDistributionConfig",
        "logs:DescribeDeliverySources",
        "logs:DescribeDeliveries",
    ],
    needs=(distributions,),
)
def logging(ctx: FetchContext) -> dict[str, LogDelivery]:
    """Where each distribution's standard logs go, by distribution ARN."""
    client = ctx.client("cloudfront")
    v2 = _v2_destinations(ctx)
    found = {}
    for distribution in ctx.get(distributions):
        config = client.get_distribution_config(Id=distribution.id)["DistributionConfig"]
        legacy = config.get("Logging") or {}
        found[distribution.arn] = LogDelivery(
            legacy_bucket=legacy.get("Bucket") or None if legacy.get("Enabled") else None,
            v2_destinations=tuple(v2.get(distribution.arn, [])),
        )
    return found
