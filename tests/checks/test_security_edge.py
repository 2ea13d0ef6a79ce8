"""sec.elb-https, sec.elb-access-logs, sec.acm-certificates, sec.waf-public-endpoints against the
sandbox: a load balancer done right and one left as it was built years ago, in one account; and
ERROR naming the action when a read is denied."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.checks.edge_sandbox import REGION, attributes, balancer, certificate, web_acl
from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import NOW, run_on_facts
from wa_audit.checks.security_edge import CertificateParams, acm_certificates
from wa_audit.facts import acm
from wa_audit.models import Status

CHECKS = [
    "sec.elb-https",
    "sec.elb-access-logs",
    "sec.acm-certificates",
    "sec.waf-public-endpoints",
]


def _listeners(sandbox: Any, arn: str) -> dict[str, str]:
    found = sandbox.client("elbv2").describe_listeners(LoadBalancerArn=arn)["Listeners"]
    return {listener["Protocol"]: listener["ListenerArn"] for listener in found}


def _https(sandbox: Any, arn: str, group: str, policy: str, certificate_arn: str) -> None:
    sandbox.client("elbv2").create_listener(
        LoadBalancerArn=arn,
        Protocol="HTTPS",
        Port=443,
        SslPolicy=policy,
        Certificates=[{"CertificateArn": certificate_arn}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )


def _done_right(sandbox: Any, certificate_arn: str) -> str:
    arn, group = balancer(sandbox, "web")
    _https(sandbox, arn, group, "ELBSecurityPolicy-TLS13-1-2-2021-06", certificate_arn)
    redirect = {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
    sandbox.client("elbv2").modify_listener(
        ListenerArn=_listeners(sandbox, arn)["HTTP"],
        DefaultActions=[{"Type": "redirect", "RedirectConfig": redirect}],
    )
    sandbox.client("s3").create_bucket(Bucket="web-logs")
    attributes(
        sandbox, arn, **{"access_logs.s3.enabled": "true", "access_logs.s3.bucket": "web-logs"}
    )
    sandbox.client("wafv2").associate_web_acl(WebACLArn=web_acl(sandbox, "web"), ResourceArn=arn)
    return arn


def test_a_load_balancer_done_right_and_one_left_as_built(sandbox):
    current = certificate(sandbox, "www.example.com", 300)
    lapsing = certificate(sandbox, "old.example.com", 10)
    certificate(sandbox, "unused.example.com", 5)  # in use nowhere: not assessed
    good = _done_right(sandbox, current)
    bad, bad_group = balancer(sandbox, "legacy")
    _https(sandbox, bad, bad_group, "ELBSecurityPolicy-2016-08", lapsing)
    internal, _ = balancer(sandbox, "internal", Scheme="internal")
    good_listeners, bad_listeners = _listeners(sandbox, good), _listeners(sandbox, bad)
    findings = {(f.check_id, f.resource): f for f in audit(CHECKS, (REGION,)).findings}
    assert {key: f.status for key, f in findings.items()} == {
        ("sec.elb-https", good_listeners["HTTP"]): Status.PASS,
        ("sec.elb-https", good_listeners["HTTPS"]): Status.PASS,
        ("sec.elb-https", bad_listeners["HTTP"]): Status.FAIL,
        ("sec.elb-https", bad_listeners["HTTPS"]): Status.FAIL,
        ("sec.elb-https", _listeners(sandbox, internal)["HTTP"]): Status.FAIL,
        ("sec.elb-access-logs", good): Status.PASS,
        ("sec.elb-access-logs", bad): Status.FAIL,
        ("sec.elb-access-logs", internal): Status.FAIL,
        ("sec.acm-certificates", current): Status.PASS,
        ("sec.acm-certificates", lapsing): Status.FAIL,
        ("sec.waf-public-endpoints", good): Status.PASS,
        ("sec.waf-public-endpoints", bad): Status.FAIL,
    }
    outdated = findings["sec.elb-https", bad_listeners["HTTPS"]]
    assert outdated.message == (
        "The HTTPS:443 listener of Application load balancer legacy uses "
        "ELBSecurityPolicy-2016-08, which still accepts TLSv1.1, TLSv1."
    )
    assert outdated.best_practices == ("SEC09-BP02",)
    assert findings["sec.elb-access-logs", bad].best_practices == ("SEC04-BP01", "OPS08-BP02")
    expiring = findings["sec.acm-certificates", lapsing]
    assert expiring.best_practices == ("SEC09-BP01",)
    assert "ACM cannot renew an imported certificate" in expiring.message
    assert expiring.evidence["in_use_by"] == [bad]
    unprotected = findings["sec.waf-public-endpoints", bad]
    assert unprotected.best_practices == ("SEC05-BP03",)
    assert unprotected.message == (
        "Internet-facing Application load balancer legacy has no AWS WAF web ACL."
    )


def test_denied_reads_are_errors_naming_the_action(sandbox, monkeypatch):
    balancer(sandbox)
    certificate(sandbox, "www.example.com", 300)
    sandbox.enforce_iam(monkeypatch, deny=["acm:ListCertificates", "wafv2:ListWebACLs"])
    findings = audit(["sec.acm-certificates", "sec.waf-public-endpoints"], (REGION,)).findings
    assert_errors_naming(
        [f for f in findings if f.check_id.startswith("sec.acm")], "acm:ListCertificates"
    )
    assert_errors_naming(
        [f for f in findings if f.check_id.startswith("sec.waf")], "wafv2:ListWebACLs"
    )


def _certificate(**fields: Any):
    from wa_audit.facts.acm import Certificate

    base = {
        "arn": "arn:aws:acm:us-east-1:123456789012:certificate/1",
        "domain": "www.example.com",
        "status": "ISSUED",
        "type": "AMAZON_ISSUED",
        "in_use": True,
        "not_after": NOW + timedelta(days=200),
        "renewal_eligibility": "ELIGIBLE",
    }
    return Certificate(**(base | fields))


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({}, Status.PASS, "valid for 200 more days"),
        (
            {"renewal_status": "FAILED", "renewal_failure": "CAA_ERROR"},
            Status.FAIL,
            "failed to renew (CAA_ERROR)",
        ),
        (
            {"renewal_eligibility": "INELIGIBLE"},
            Status.FAIL,
            "not eligible for ACM managed renewal",
        ),
        ({"status": "REVOKED"}, Status.FAIL, "is revoked"),
        ({"not_after": NOW - timedelta(days=2)}, Status.FAIL, "has expired"),
        (
            {"not_after": NOW + timedelta(days=10)},
            Status.FAIL,
            "expires in 10 days (renewal has not completed)",
        ),
    ],
)
def test_certificate_states_the_sandbox_cannot_produce(fields, status, words):
    """Renewal summaries, revocation and ACM-issued expiry: AWS states moto never reaches."""
    certificate = _certificate(**fields)
    [finding] = run_on_facts(
        acm_certificates,
        {acm.certificates: (certificate,)},
        region=REGION,
        params=CertificateParams(),
    )
    assert (finding.status, finding.resource) == (status, certificate.arn)
    assert words in finding.message
