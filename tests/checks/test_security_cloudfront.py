"""sec.cloudfront-https, sec.cloudfront-s3-origin-access, sec.cloudfront-logging,
perf.cloudfront-delivery and sec.waf-public-endpoints' CloudFront half against the sandbox: a
distribution done right, one left open, one logging through standard logging v2; ERROR when the
per-distribution read is denied; unit cases for what the sandbox cannot vary."""

from __future__ import annotations

from typing import Any

import pytest

from tests.checks.edge_sandbox import (
    REGION,
    custom_origin,
    distribution,
    modern_viewer,
    s3_origin,
    web_acl,
)
from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import run_on_facts
from wa_audit.checks.security_cloudfront import CURRENT_TLS, cloudfront_s3_origin_access
from wa_audit.facts import cloudfront
from wa_audit.models import GLOBAL_REGION, Status

CHECKS = [
    "sec.cloudfront-https",
    "sec.cloudfront-s3-origin-access",
    "sec.cloudfront-logging",
    "perf.cloudfront-delivery",
    "sec.waf-public-endpoints",
]


def _done_right(sandbox: Any) -> str:
    access = sandbox.client("cloudfront").create_origin_access_control(
        OriginAccessControlConfig={
            "Name": "assets",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]
    created = distribution(
        sandbox,
        [s3_origin("assets", access), custom_origin()],
        HttpVersion="http2and3",
        WebACLId=web_acl(sandbox, "edge", scope="CLOUDFRONT"),
        Logging={
            "Enabled": True,
            "IncludeCookies": False,
            "Bucket": "logs.s3.amazonaws.com",
            "Prefix": "cf/",
        },
        **modern_viewer(sandbox),
    )
    return str(created["ARN"])


def _left_open(sandbox: Any) -> str:
    created = distribution(
        sandbox,
        [s3_origin("avatars"), custom_origin(policy="http-only")],
        ViewerProtocolPolicy="allow-all",
        Compress=False,
        HttpVersion="http1.1",
    )
    return str(created["ARN"])


def _logged_by_v2(sandbox: Any) -> str:
    """Standard logging v2: a delivery source for the distribution, delivered to a log group."""
    arn = str(distribution(sandbox, [custom_origin()], **modern_viewer(sandbox))["ARN"])
    logs = sandbox.client("logs")
    logs.create_log_group(logGroupName="cloudfront")
    logs.put_delivery_source(name="cf", resourceArn=arn, logType="ACCESS_LOGS")
    destination = logs.put_delivery_destination(
        name="cf-group",
        deliveryDestinationConfiguration={
            "destinationResourceArn": f"arn:aws:logs:{REGION}:123456789012:log-group:cloudfront"
        },
    )["deliveryDestination"]["arn"]
    logs.create_delivery(deliverySourceName="cf", deliveryDestinationArn=destination)
    return arn


def test_distributions_done_right_left_open_and_logged_by_v2(sandbox):
    good, bad, v2 = _done_right(sandbox), _left_open(sandbox), _logged_by_v2(sandbox)
    findings = {(f.check_id, f.resource): f for f in audit(CHECKS, (REGION,)).findings}
    assert {key: f.status for key, f in findings.items()} == {
        ("sec.cloudfront-https", good): Status.PASS,
        ("sec.cloudfront-https", bad): Status.FAIL,
        ("sec.cloudfront-https", v2): Status.PASS,
        ("sec.cloudfront-s3-origin-access", good): Status.PASS,
        ("sec.cloudfront-s3-origin-access", bad): Status.FAIL,
        ("sec.cloudfront-logging", good): Status.PASS,
        ("sec.cloudfront-logging", bad): Status.FAIL,
        ("sec.cloudfront-logging", v2): Status.PASS,
        ("perf.cloudfront-delivery", good): Status.PASS,
        ("perf.cloudfront-delivery", bad): Status.FAIL,
        ("perf.cloudfront-delivery", v2): Status.PASS,
        ("sec.waf-public-endpoints", good): Status.PASS,
        ("sec.waf-public-endpoints", bad): Status.FAIL,
        ("sec.waf-public-endpoints", v2): Status.FAIL,
    }
    assert {f.region for f in findings.values()} == {GLOBAL_REGION}
    https = findings["sec.cloudfront-https", bad]
    assert https.best_practices == ("SEC09-BP02",)
    assert https.evidence["problems"] == [
        "cache behaviour '*' lets viewers use plain HTTP (allow-all)",
        "it is served with the default *.cloudfront.net certificate, which accepts TLSv1",
        "origin 'api' is reached over plain HTTP (http-only)",
    ]
    origin = findings["sec.cloudfront-s3-origin-access", bad]
    assert origin.best_practices == ("SEC08-BP04", "SEC03-BP07")
    assert "S3 origin 'avatars' has no origin access control or identity" in origin.message
    assert findings["sec.cloudfront-logging", bad].best_practices == ("SEC04-BP01", "OPS08-BP02")
    assert findings["sec.cloudfront-logging", v2].evidence["v2_destinations"] != []
    delivery = findings["perf.cloudfront-delivery", bad]
    assert delivery.best_practices == ("PERF04-BP05", "SUS04-BP07", "COST08-BP02")
    assert delivery.message.endswith(
        "cache behaviour '*' does not compress; it serves HTTP/1.1 only."
    )


def test_distribution_config_denied_is_an_error_naming_the_action(sandbox, monkeypatch):
    distribution(sandbox, [custom_origin()])
    sandbox.enforce_iam(monkeypatch, deny=["cloudfront:GetDistributionConfig"])
    findings = audit(["sec.cloudfront-logging"], (REGION,)).findings
    assert_errors_naming(findings, "cloudfront:GetDistributionConfig")


@pytest.mark.parametrize(
    ("version", "current"),
    [
        ("TLSv1", False),
        ("TLSv1_2016", False),
        ("TLSv1.1_2016", False),
        ("TLSv1.2_2018", False),
        ("TLSv1.2_2019", False),
        ("TLSv1.2_2021", True),
        ("TLSv1.2_2025", True),
        ("TLSv1.3_2025", True),
    ],
)
def test_current_viewer_tls_versions(version, current):
    """botocore's MinimumProtocolVersion enum; TLSv1.2_2021 is the recommended floor."""
    assert bool(CURRENT_TLS.match(version)) is current


def test_an_s3_website_endpoint_needs_a_public_bucket():
    """A website endpoint is a custom origin that OAC cannot sign for (no sandbox difference)."""
    website = cloudfront.Origin(
        id="site", domain="site.s3-website-us-east-1.amazonaws.com", s3_config=False
    )
    served = cloudfront.Distribution(
        id="E1",
        arn="arn:aws:cloudfront::123456789012:distribution/E1",
        domain="d1.cloudfront.net",
        enabled=True,
        origins=(website,),
        behaviors=(),
        default_certificate=True,
    )
    [finding] = run_on_facts(
        cloudfront_s3_origin_access, {cloudfront.distributions: (served,)}, region=GLOBAL_REGION
    )
    assert (finding.status, finding.resource) == (Status.FAIL, served.arn)
    assert "S3 website endpoint, which needs a public bucket" in finding.message
