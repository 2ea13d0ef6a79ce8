"""rel.elb-multi-az and rel.elb-deletion-protection against the sandbox: a compliant and a
non-compliant load balancer in one account, and ERROR when the read is denied."""

from __future__ import annotations

from tests.checks.edge_sandbox import REGION, attributes, balancer
from tests.checks.sandbox_audit import assert_errors_naming, audit
from wa_audit.models import Status

CHECKS = ["rel.elb-multi-az", "rel.elb-deletion-protection"]


def test_zones_and_deletion_protection(sandbox):
    good, _ = balancer(sandbox, "web", zones="ab")
    attributes(sandbox, good, **{"deletion_protection.enabled": "true"})
    bad, _ = balancer(sandbox, "push", kind="network", zones="a")
    findings = {(f.check_id, f.resource): f for f in audit(CHECKS, (REGION,)).findings}
    assert {key: f.status for key, f in findings.items()} == {
        ("rel.elb-multi-az", good): Status.PASS,
        ("rel.elb-multi-az", bad): Status.FAIL,
        ("rel.elb-deletion-protection", good): Status.PASS,
        ("rel.elb-deletion-protection", bad): Status.FAIL,
    }
    single = findings["rel.elb-multi-az", bad]
    assert single.best_practices == ("REL10-BP01", "REL02-BP01")
    assert single.region == REGION
    assert single.message == (
        f"Network load balancer push is enabled in one Availability Zone only ({REGION}a)."
    )
    assert findings["rel.elb-multi-az", good].evidence["availability_zones"] == [
        f"{REGION}a",
        f"{REGION}b",
    ]
    unprotected = findings["rel.elb-deletion-protection", bad]
    assert unprotected.best_practices == ("REL02-BP01",)
    assert "deletion protection off" in unprotected.message


def test_attributes_denied_is_an_error_naming_the_action(sandbox, monkeypatch):
    balancer(sandbox)
    sandbox.enforce_iam(monkeypatch, deny=["elasticloadbalancing:DescribeLoadBalancerAttributes"])
    findings = audit(["rel.elb-deletion-protection"], (REGION,)).findings
    assert_errors_naming(findings, "elasticloadbalancing:DescribeLoadBalancerAttributes")
