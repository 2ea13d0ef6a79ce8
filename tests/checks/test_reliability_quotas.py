"""rel.service-quotas: verdicts on usage built in the test, thresholds, and against the sandbox."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.helpers import run_on_facts
from tests.quota_fixtures import EIP_ARN, quota_usage
from wa_audit.aws import AwsSession
from wa_audit.checks.reliability import ServiceQuotaParams, service_quotas
from wa_audit.facts.quota_usage import global_usage, regional_usage
from wa_audit.facts.store import FactFailure
from wa_audit.models import QuotaRequest, QuotaUsage, Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit

REGION = "us-east-1"
BEST_PRACTICES = ("REL01-BP01", "REL01-BP04", "REL01-BP06")


def _usage(usage: float | None, limit: float = 100.0, **changes) -> QuotaUsage:
    return quota_usage(usage, limit, **changes)


def _run(*usages: QuotaUsage, params: ServiceQuotaParams | None = None, global_=()):
    return run_on_facts(
        service_quotas,
        {regional_usage: tuple(usages), global_usage: tuple(global_)},
        region=REGION,
        params=params,
    )


@pytest.mark.parametrize(
    ("used", "status"),
    [
        (0, Status.PASS),
        (79.9, Status.PASS),
        (80, Status.WARN),
        (94.9, Status.WARN),
        (95, Status.FAIL),
        (120, Status.FAIL),
    ],
)
def test_verdict_by_percent_used(used, status):
    [finding] = _run(_usage(used))
    assert (finding.status, finding.resource, finding.region) == (status, EIP_ARN, REGION)
    assert finding.best_practices == BEST_PRACTICES
    assert finding.evidence["usage"] == used
    assert finding.evidence["limit"] == 100.0
    assert finding.evidence["adjustable"] is True
    assert finding.evidence["usage_source"] == "api:ec2:DescribeAddresses"
    assert (finding.evidence["warn_percent"], finding.evidence["critical_percent"]) == (80.0, 95.0)


def test_thresholds_are_configurable_per_quota():
    params = ServiceQuotaParams.model_validate(
        {
            "warn_percent": 50,
            "overrides": {"ec2/L-0263D0A3": {"warn_percent": 70, "critical_percent": 90}},
        }
    )
    vcpus = _usage(60, quota_code="L-1216C47A", quota_arn=None)
    eips = _usage(75)
    got = {f.evidence["quota_code"]: f for f in _run(vcpus, eips, params=params)}
    assert got["L-1216C47A"].status is Status.WARN  # the account-wide 50%
    assert got["L-0263D0A3"].status is Status.WARN  # its own 70%, not yet 90%
    assert got["L-0263D0A3"].evidence["critical_percent"] == 90
    assert (
        got["L-1216C47A"].resource == "arn:aws:servicequotas:us-east-1:123456789012:ec2/L-1216C47A"
    )


@pytest.mark.parametrize(
    "raw",
    [
        {"warn_percent": 96},  # above the default critical 95
        {"overrides": {"ec2/L-0263D0A3": {"warn_percent": 99}}},
        {"overrides": {"elastic-ips": {"warn_percent": 50}}},
        {"overrides": {"ec2/L-0263D0A3": {"warn": 50}}},
    ],
)
def test_bad_thresholds_are_rejected(raw):
    with pytest.raises(ValidationError):
        ServiceQuotaParams.model_validate(raw)


def test_an_open_request_or_adjustability_shapes_the_advice():
    request = QuotaRequest(id="req-1", status="CASE_OPENED", desired_value=10)
    [open_] = _run(_usage(96, open_request=request))
    assert "req-1, CASE_OPENED" in open_.message
    assert open_.evidence["open_request"]["id"] == "req-1"
    [fixed] = _run(_usage(96, adjustable=False))
    assert "Not adjustable" in fixed.message


def test_unknown_usage_is_error_for_that_quota_only():
    unknown = _usage(
        None, note="usage unavailable (access denied: grant rds:DescribeAccountAttributes)"
    )
    findings = _run(unknown, _usage(10, quota_code="L-F678F1CE"))
    assert [f.status for f in findings] == [Status.ERROR, Status.PASS]
    assert "grant rds:DescribeAccountAttributes" in findings[0].message


def test_global_quotas_are_reported_once_with_region_global():
    roles = _usage(
        10,
        region="global",
        service_code="iam",
        quota_code="L-FE177D64",
        quota_arn="arn:aws:servicequotas:us-east-1:123456789012:iam/L-FE177D64",
    )
    facts = {regional_usage: (), global_usage: (roles,)}
    first = run_on_facts(
        service_quotas, facts, region="eu-west-1", regions=("eu-west-1", "us-east-1")
    )
    second = run_on_facts(
        service_quotas, facts, region="us-east-1", regions=("eu-west-1", "us-east-1")
    )
    assert [(f.region, f.status) for f in first] == [("global", Status.PASS)]
    assert [f.status for f in second] == [Status.NOT_APPLICABLE]


def test_service_quotas_unreadable_is_error_naming_the_permission():
    failure = FactFailure(
        "access denied: grant servicequotas:ListServiceQuotas", "servicequotas:ListServiceQuotas"
    )
    [finding] = run_on_facts(
        service_quotas, {global_usage: ()}, region=REGION, failures={regional_usage: failure}
    )
    assert finding.status is Status.ERROR
    assert finding.evidence["missing_permission"] == "servicequotas:ListServiceQuotas"


def _audit(regions=(REGION,)):
    checks = select(discover(), include=["rel.service-quotas"])
    return run_audit(AwsSession(), checks, RunOptions(regions=regions))


def _eip_finding(report):
    [finding] = [f for f in report.findings if f.evidence.get("quota_code") == "L-0263D0A3"]
    return finding


@pytest.mark.parametrize(
    ("addresses", "status"), [(1, Status.PASS), (4, Status.WARN), (5, Status.FAIL)]
)
def test_elastic_ips_against_the_sandbox(sandbox, addresses, status):
    ec2 = sandbox.client("ec2")
    for _ in range(addresses):
        ec2.allocate_address(Domain="vpc")
    report = _audit()
    finding = _eip_finding(report)
    assert (finding.status, finding.resource, finding.region) == (status, EIP_ARN, REGION)
    assert finding.best_practices == BEST_PRACTICES
    assert (finding.evidence["usage"], finding.evidence["limit"]) == (addresses, 5.0)
    assert [q.usage for q in report.quotas if q.quota_code == "L-0263D0A3"] == [addresses]


def test_quota_reads_denied_make_the_check_error(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["servicequotas:ListServiceQuotas"])
    report = _audit()
    [finding] = report.findings
    assert (finding.status, finding.region) == (Status.ERROR, REGION)
    assert finding.evidence["missing_permission"] == "servicequotas:ListServiceQuotas"
    assert report.quotas == ()
