"""Performance of the edge: traffic spread over every zone, content delivered compressed over
HTTP/2 or HTTP/3."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.context import CheckContext
from wa_audit.facts import cloudfront, elbv2
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

CROSS_ZONE = "load_balancing.cross_zone.enabled"


@check(
    id="perf.elb-cross-zone",
    pillar=Pillar.PERFORMANCE,
    title="Network and Gateway Load Balancers balance across zones",
    fail_title="Network and Gateway Load Balancers keep traffic within each zone",
    severity=Severity.LOW,
    best_practices=["PERF04-BP04"],
    remediation=(
        "Turn on cross-zone load balancing (attribute load_balancing.cross_zone.enabled), or "
        "keep the same number of healthy targets in every zone; weigh inter-zone data charges."
    ),
    docs_url="https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#cross-zone-load-balancing",
    facts=[elbv2.load_balancers, elbv2.attributes],
    regional=True,
)
def elb_cross_zone(ctx: CheckContext) -> Iterator[Finding]:
    """NLBs and GWLBs in two zones or more (ALBs always balance across zones). WARN, not FAIL:
    it is off by default and a trade-off (uneven targets per zone against inter-zone charges)."""
    attributes = ctx.fact(elbv2.attributes)
    for balancer in ctx.fact(elbv2.load_balancers):
        if balancer.type == "application" or len(balancer.availability_zones) < 2:
            continue
        value = attributes.get(balancer.arn, {}).get(CROSS_ZONE)
        evidence = {CROSS_ZONE: value, "availability_zones": list(balancer.availability_zones)}
        if value == "true":
            yield ctx.passed(
                balancer.arn, f"{balancer.label} balances across zones.", evidence=evidence
            )
        else:
            yield ctx.warned(
                balancer.arn,
                f"{balancer.label} has cross-zone load balancing off: each zone's targets take "
                f"that zone's share of traffic ({len(balancer.availability_zones)} zones), however few they are.",
                evidence=evidence,
            )


def _delivery_problems(distribution: cloudfront.Distribution) -> list[str]:
    problems = [
        f"cache behaviour {b.path!r} does not compress"
        for b in distribution.behaviors
        if not b.compress
    ]
    if distribution.http_version == "http1.1":
        problems.append("it serves HTTP/1.1 only")
    return problems


@check(
    id="perf.cloudfront-delivery",
    pillar=Pillar.PERFORMANCE,
    title="CloudFront compresses content and serves HTTP/2 or newer",
    fail_title="CloudFront serves uncompressed content or HTTP/1.1 only",
    severity=Severity.LOW,
    best_practices=["PERF04-BP05", "SUS04-BP07", "COST08-BP02"],
    remediation=(
        "Turn on 'Compress objects automatically' in every cache behaviour (with a cache policy "
        "that allows Gzip and Brotli) and set the distribution's HTTP version to http2and3."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html",
    facts=[cloudfront.distributions],
)
def cloudfront_delivery(ctx: CheckContext) -> Iterator[Finding]:
    """Compression cuts the bytes sent (transfer cost and energy); HTTP/2+ multiplexes requests."""
    for distribution in ctx.fact(cloudfront.distributions):
        problems = _delivery_problems(distribution)
        evidence = {
            "http_version": distribution.http_version,
            "uncompressed_behaviors": [b.path for b in distribution.behaviors if not b.compress],
        }
        if problems:
            yield ctx.failed(
                distribution.arn,
                f"CloudFront distribution {distribution.id}: {'; '.join(problems)}.",
                evidence=evidence,
            )
        else:
            yield ctx.passed(
                distribution.arn,
                f"CloudFront distribution {distribution.id} compresses content and serves "
                f"{distribution.http_version}.",
                evidence=evidence,
            )
