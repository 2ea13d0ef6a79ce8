"""Security of CloudFront distributions: HTTPS end to end, private S3 origins, access logs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wa_audit.checks._findings import verdict
from wa_audit.context import CheckContext
from wa_audit.facts import cloudfront
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import plural

CURRENT_TLS = re.compile(r"^TLSv1\.(2_(202[1-9]|20[3-9]\d)|[3-9]_\d{4})$")
"""TLSv1.2_2021 or newer (TLSv1.2_2025, TLSv1.3_2025 …): botocore's MinimumProtocolVersion enum,
and the CloudFront Developer Guide's "Supported protocols and ciphers between viewers and
CloudFront", which recommends TLSv1.2_2021."""


def _https_problems(distribution: cloudfront.Distribution) -> list[str]:
    problems = [
        f"cache behaviour {b.path!r} lets viewers use plain HTTP (allow-all)"
        for b in distribution.behaviors
        if b.viewer_protocol_policy == "allow-all"
    ]
    if distribution.default_certificate:
        problems.append(
            "it is served with the default *.cloudfront.net certificate, which accepts TLSv1"
        )
    elif not CURRENT_TLS.match(distribution.minimum_protocol_version or ""):
        problems.append(
            f"its minimum viewer TLS version is {distribution.minimum_protocol_version}, "
            "older than TLSv1.2_2021"
        )
    problems += [
        f"origin {o.id!r} is reached over plain HTTP (http-only)"
        for o in distribution.origins
        if o.protocol_policy == "http-only"
    ]
    return problems


@check(
    id="sec.cloudfront-https",
    pillar=Pillar.SECURITY,
    title="CloudFront distributions use HTTPS to viewers and origins",
    fail_title="CloudFront distributions allow plain HTTP or outdated TLS",
    severity=Severity.HIGH,
    best_practices=["SEC09-BP02"],
    remediation=(
        "Set every cache behaviour's viewer protocol policy to redirect-to-https or https-only, "
        "serve a custom domain with an ACM certificate and security policy TLSv1.2_2021 or newer, "
        "and set custom origins to https-only."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https.html",
    facts=[cloudfront.distributions],
)
def cloudfront_https(ctx: CheckContext) -> Iterator[Finding]:
    for distribution in ctx.fact(cloudfront.distributions):
        problems = _https_problems(distribution)
        yield verdict(
            ctx,
            distribution.arn,
            not problems,
            f"CloudFront distribution {distribution.id} uses HTTPS with "
            f"{distribution.minimum_protocol_version} or newer to viewers and origins.",
            f"CloudFront distribution {distribution.id}: {'; '.join(problems)}.",
            {
                "problems": problems,
                "minimum_protocol_version": distribution.minimum_protocol_version,
            },
        )


def _open_origin(origin: cloudfront.Origin) -> str:
    """Why the bucket behind an S3 origin must be readable by anyone, or ''."""
    if origin.is_s3_website:
        return f"origin {origin.id!r} is an S3 website endpoint, which needs a public bucket"
    if origin.origin_access_control_id or origin.origin_access_identity:
        return ""
    return f"S3 origin {origin.id!r} has no origin access control or identity"


@check(
    id="sec.cloudfront-s3-origin-access",
    pillar=Pillar.SECURITY,
    title="CloudFront reads S3 origins through origin access control",
    fail_title="CloudFront S3 origins need public buckets",
    severity=Severity.HIGH,
    best_practices=["SEC08-BP04", "SEC03-BP07"],
    remediation=(
        "Give each S3 origin an origin access control (OAC), use the bucket's REST endpoint, and "
        "allow only cloudfront.amazonaws.com with the distribution's ARN in the bucket policy; "
        "then block public access on the bucket."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html",
    facts=[cloudfront.distributions],
)
def cloudfront_s3_origin_access(ctx: CheckContext) -> Iterator[Finding]:
    """Per distribution with S3 origins: without OAC (or the legacy OAI) the bucket must be
    public for CloudFront to read it, and anyone can bypass the distribution."""
    for distribution in ctx.fact(cloudfront.distributions):
        origins = [o for o in distribution.origins if o.is_s3]
        if not origins:
            continue
        problems = [p for p in map(_open_origin, origins) if p]
        yield verdict(
            ctx,
            distribution.arn,
            not problems,
            f"CloudFront distribution {distribution.id} reads its {plural(len(origins), 'S3 origin')} "
            "through origin access control.",
            f"CloudFront distribution {distribution.id}: {'; '.join(problems)}.",
            {"s3_origins": [o.domain for o in origins], "problems": problems},
        )


@check(
    id="sec.cloudfront-logging",
    pillar=Pillar.SECURITY,
    title="CloudFront distributions write standard logs",
    fail_title="CloudFront distributions keep no access logs",
    severity=Severity.MEDIUM,
    best_practices=["SEC04-BP01", "OPS08-BP02"],
    remediation=(
        "Turn on standard logging (v2, to CloudWatch Logs, S3 or Firehose; or legacy, to an S3 "
        "bucket) for the distribution."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html",
    facts=[cloudfront.distributions, cloudfront.logging],
)
def cloudfront_logging(ctx: CheckContext) -> Iterator[Finding]:
    """Legacy logging (DistributionConfig.Logging) or a v2 delivery both count."""
    logging = ctx.fact(cloudfront.logging)
    for distribution in ctx.fact(cloudfront.distributions):
        delivery = logging.get(distribution.arn, cloudfront.LogDelivery())
        where = [delivery.legacy_bucket] if delivery.legacy_bucket else []
        yield verdict(
            ctx,
            distribution.arn,
            delivery.enabled,
            f"CloudFront distribution {distribution.id} writes standard logs "
            f"({', '.join(where + list(delivery.v2_destinations))}).",
            f"CloudFront distribution {distribution.id} ({distribution.domain}) keeps no "
            "standard logs: viewer requests leave no record.",
            {
                "legacy_bucket": delivery.legacy_bucket,
                "v2_destinations": list(delivery.v2_destinations),
            },
        )
