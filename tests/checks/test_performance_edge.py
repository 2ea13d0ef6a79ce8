"""perf.elb-cross-zone and perf.cloudfront-delivery against the sandbox (the latter with the
CloudFront checks' distributions in test_security_cloudfront.py), plus unit cases."""

from __future__ import annotations

from tests.checks.edge_sandbox import REGION, attributes, balancer
from tests.checks.sandbox_audit import audit
from wa_audit.models import Status


def test_cross_zone_on_passes_off_warns_alb_and_one_zone_not_assessed(sandbox):
    on, _ = balancer(sandbox, "on", kind="network")
    attributes(sandbox, on, **{"load_balancing.cross_zone.enabled": "true"})
    off, _ = balancer(sandbox, "off", kind="network")
    balancer(sandbox, "alb")  # ALBs always balance across zones
    balancer(sandbox, "lonely", kind="network", zones="a")  # nothing to balance across
    findings = {f.resource: f for f in audit(["perf.elb-cross-zone"], (REGION,)).findings}
    assert {arn: f.status for arn, f in findings.items()} == {on: Status.PASS, off: Status.WARN}
    assert findings[off].best_practices == ("PERF04-BP04",)
    assert findings[off].evidence["load_balancing.cross_zone.enabled"] == "false"
    assert "cross-zone load balancing off" in findings[off].message
