"""Edge resources made in the sandbox for the edge checks' tests, the way a user makes them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from wa_audit.sandbox.scenario import SeedEnv
from wa_audit.sandbox.seeders.edge_resources import CACHING_OPTIMIZED, self_signed

REGION = "us-east-1"


def subnets(sandbox: Any, zones: str = "ab") -> tuple[str, list[str]]:
    ec2 = sandbox.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    ids = [
        ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.9.{n}.0/24", AvailabilityZone=f"{REGION}{zone}"
        )["Subnet"]["SubnetId"]
        for n, zone in enumerate(zones)
    ]
    return vpc, ids


def balancer(
    sandbox: Any, name: str = "web", kind: str = "application", zones: str = "ab", **extra: Any
) -> tuple[str, str]:
    """A load balancer and a target group it forwards to (HTTP:80 or TCP:443): both ARNs."""
    vpc, ids = subnets(sandbox, zones)
    extra.setdefault("Scheme", "internet-facing")  # AWS's default; moto leaves it out otherwise
    elbv2 = sandbox.client("elbv2")
    arn = elbv2.create_load_balancer(Name=name, Type=kind, Subnets=ids, **extra)["LoadBalancers"][
        0
    ]["LoadBalancerArn"]
    network = kind == "network"
    group = elbv2.create_target_group(
        Name=f"{name}-targets", Protocol="TCP" if network else "HTTP", Port=80, VpcId=vpc
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(
        LoadBalancerArn=arn,
        Protocol="TCP" if network else "HTTP",
        Port=443 if network else 80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )
    return arn, group


def attributes(sandbox: Any, arn: str, **values: str) -> None:
    sandbox.client("elbv2").modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[{"Key": k, "Value": v} for k, v in values.items()]
    )


def certificate(sandbox: Any, domain: str, valid_days: int, region: str = REGION) -> str:
    env = SeedEnv(url="", state=None, regions=(region,), now=datetime.now(UTC))  # type: ignore[arg-type]
    body, key = self_signed(domain, env, valid_days)
    acm = sandbox.client("acm", region)
    return str(acm.import_certificate(Certificate=body, PrivateKey=key)["CertificateArn"])


def web_acl(sandbox: Any, name: str, scope: str = "REGIONAL") -> str:
    return str(
        sandbox.client("wafv2").create_web_acl(
            Name=name,
            Scope=scope,
            DefaultAction={"Allow": {}},
            Rules=[],
            VisibilityConfig={
                "SampledRequestsEnabled": False,
                "CloudWatchMetricsEnabled": False,
                "MetricName": name,
            },
        )["Summary"]["ARN"]
    )


def distribution(sandbox: Any, origins: list[dict[str, Any]], **config: Any) -> dict[str, Any]:
    """A distribution; ``config`` overrides the DistributionConfig (and ``Compress``,
    ``ViewerProtocolPolicy`` go into the default cache behaviour)."""
    behavior = {
        "TargetOriginId": origins[0]["Id"],
        "ViewerProtocolPolicy": config.pop("ViewerProtocolPolicy", "redirect-to-https"),
        "Compress": config.pop("Compress", True),
        "CachePolicyId": CACHING_OPTIMIZED,
    }
    body = {
        "CallerReference": f"test-{len(origins)}-{sorted(config)}",
        "Comment": "test",
        "Enabled": True,
        "Origins": {"Quantity": len(origins), "Items": origins},
        "DefaultCacheBehavior": behavior,
        **config,
    }
    created: dict[str, Any] = sandbox.client("cloudfront").create_distribution(
        DistributionConfig=body
    )["Distribution"]
    return created


def s3_origin(bucket: str = "assets", access_control: str | None = None) -> dict[str, Any]:
    origin: dict[str, Any] = {
        "Id": bucket,
        "DomainName": f"{bucket}.s3.{REGION}.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    if access_control:
        origin["OriginAccessControlId"] = access_control
    return origin


def custom_origin(domain: str = "api.example.com", policy: str = "https-only") -> dict[str, Any]:
    return {
        "Id": "api",
        "DomainName": domain,
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": policy},
    }


def modern_viewer(sandbox: Any, version: str = "TLSv1.2_2021") -> dict[str, Any]:
    """A custom domain on an ACM certificate with ``version`` as the minimum viewer TLS."""
    arn = certificate(sandbox, "www.example.com", 300)
    return {
        "Aliases": {"Quantity": 1, "Items": ["www.example.com"]},
        "ViewerCertificate": {
            "CloudFrontDefaultCertificate": False,
            "ACMCertificateArn": arn,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": version,
        },
    }
