"""rel.route53-health-checks: records whose routing depends on health, with and without it."""

from __future__ import annotations

from tests.checks.monitoring_accounts import findings
from tests.checks.sandbox_audit import assert_errors_naming
from wa_audit.models import Status

BPS = ("REL11-BP01", "REL13-BP05", "REL02-BP01")


def _record(name: str, set_id: str, **settings) -> dict:
    body = {
        "Name": name,
        "Type": "A",
        "SetIdentifier": set_id,
        "TTL": 60,
        "ResourceRecords": [{"Value": "192.0.2.10"}],
    }
    return {"Action": "CREATE", "ResourceRecordSet": body | settings}


def test_health_routed_records_need_a_health_check(sandbox):
    route53 = sandbox.client("route53")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="z")["HostedZone"][
        "Id"
    ].rsplit("/", 1)[-1]

    def health_check(name: str, disabled: bool) -> str:
        config = {
            "Type": "HTTPS",
            "FullyQualifiedDomainName": "api.example.com",
            "Disabled": disabled,
        }
        return route53.create_health_check(CallerReference=name, HealthCheckConfig=config)[
            "HealthCheck"
        ]["Id"]

    alive, off = health_check("alive", False), health_check("off", True)
    alias = {"HostedZoneId": "Z35SXDOTRQ7X7K", "DNSName": "web-1.us-east-1.elb.amazonaws.com"}
    changes = [
        _record("api.example.com", "primary", Failover="PRIMARY", HealthCheckId=alive),
        _record("api.example.com", "secondary", Failover="SECONDARY"),  # last resort: not judged
        _record("www.example.com", "w1", Weight=50),
        _record("www.example.com", "w2", Weight=50, HealthCheckId=off),
        _record("mv.example.com", "m1", MultiValueAnswer=True),
        {
            "Action": "CREATE",
            "ResourceRecordSet": {
                "Name": "lb.example.com",
                "Type": "A",
                "SetIdentifier": "us",
                "Region": "us-east-1",
                "AliasTarget": alias | {"EvaluateTargetHealth": True},
            },
        },
        {
            "Action": "CREATE",
            "ResourceRecordSet": {
                "Name": "plain.example.com",
                "Type": "A",
                "TTL": 60,
                "ResourceRecords": [{"Value": "192.0.2.1"}],
            },
        },
    ]
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": changes})
    verdicts = {f.resource: f for f in findings("rel.route53-health-checks")}
    prefix = f"hostedzone/{zone}/"
    assert {r.removeprefix(prefix): f.status for r, f in verdicts.items()} == {
        "api.example.com./A/primary": Status.PASS,
        "www.example.com./A/w1": Status.FAIL,
        "www.example.com./A/w2": Status.FAIL,
        "mv.example.com./A/m1": Status.FAIL,
        "lb.example.com./A/us": Status.PASS,
    }
    assert "is disabled" in verdicts[f"{prefix}www.example.com./A/w2"].message
    assert "no health check" in verdicts[f"{prefix}mv.example.com./A/m1"].message
    assert {f.region for f in verdicts.values()} == {"global"}
    assert {f.best_practices for f in verdicts.values()} == {BPS}


def test_a_denied_read_is_an_error_naming_the_action(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["route53:ListHealthChecks"])
    assert_errors_naming(findings("rel.route53-health-checks"), "route53:ListHealthChecks")
