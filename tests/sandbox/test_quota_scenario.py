"""The quotas scenario section: the sample shows quota pressure, the clean account none, and the
seeder tops up to its targets whatever the workload already holds."""

from __future__ import annotations

import pytest

from wa_audit.aws import AwsSession
from wa_audit.console import summary_text
from wa_audit.errors import ConfigError
from wa_audit.models import QUOTA_CHECK_ID, Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.seeders.quotas import ElasticIps, QuotasSection, StandardVcpus

REGIONS = ("us-east-1", "eu-west-1")


def _quota_findings(scenario_regions=REGIONS):
    checks = select(discover(), include=["rel.service-quotas"])
    report = run_audit(AwsSession(), checks, RunOptions(regions=scenario_regions))
    return report, {(f.region, f.evidence["quota_code"]): f for f in report.findings}


def test_sample_shows_elastic_ips_at_80_and_vcpus_near_the_limit(sandbox):
    sandbox.seed("sample")
    report, findings = _quota_findings()
    eips = findings[("us-east-1", "L-0263D0A3")]
    assert (eips.status, eips.evidence["usage"], eips.evidence["limit"]) == (Status.WARN, 4, 5)
    vcpus = findings[("eu-west-1", "L-1216C47A")]
    assert vcpus.status is Status.WARN
    assert vcpus.evidence["limit"] - vcpus.evidence["usage"] == 2
    assert vcpus.evidence["percent"] >= 87.5
    assert vcpus.evidence["usage_source"] == "cloudwatch:AWS/Usage/ResourceCount:Maximum"
    vpcs = findings[("us-east-1", "L-F678F1CE")]
    assert (vpcs.evidence["limit"], vpcs.evidence["limit_source"]) == (10, "applied")
    assert {q.region for q in report.quotas} == {"us-east-1", "eu-west-1", "global"}
    # The check and the report's quotas section share one fetch: 7 services a region, plus IAM.
    assert report.api_calls["servicequotas:ListServiceQuotas"] == 7 * 2 + 1
    assert report.api_calls["cloudwatch:GetMetricData"] == 2
    summary = summary_text(report)
    assert "Quotas near their limit:" in summary
    assert "80% us-east-1 ec2/L-0263D0A3 EC2-VPC Elastic IPs: 4 of 5" in summary


def test_clean_keeps_every_quota_well_below_80_percent(sandbox):
    sandbox.seed("clean")
    _, findings = _quota_findings()
    assert {f.status for f in findings.values()} == {Status.PASS}
    assert max(f.evidence["percent"] for f in findings.values()) < 80


def test_targets_are_totals_on_top_of_what_the_workload_holds(sandbox):
    us, eu = sandbox.client("ec2", "us-east-1"), sandbox.client("ec2", "eu-west-1")
    for _ in range(2):  # the workload's own Elastic IPs
        us.allocate_address(Domain="vpc")
    eu.run_instances(ImageId="ami-12345678", InstanceType="m5.2xlarge", MinCount=1, MaxCount=1)
    section = QuotasSection(
        elastic_ips=(ElasticIps(region="us-east-1", count=4),),
        standard_vcpus=(StandardVcpus(region="eu-west-1", running=14, headroom=2),),
    )
    sandbox.seed(sandbox.scenario("sample").with_section("quotas", section).only("quotas"))
    assert len(us.describe_addresses()["Addresses"]) == 4
    running = [
        i
        for r in eu.describe_instances()["Reservations"]
        for i in r["Instances"]
        if i["State"]["Name"] == "running"
    ]
    vcpus = sum(i["CpuOptions"]["CoreCount"] * i["CpuOptions"]["ThreadsPerCore"] for i in running)
    assert vcpus == 14  # 8 from the workload's m5.2xlarge, 3 m5.large added
    quota = sandbox.client("service-quotas", "eu-west-1").get_service_quota(
        ServiceCode="ec2", QuotaCode="L-1216C47A"
    )
    assert quota["Quota"]["Value"] == 16


def test_the_reports_quotas_carry_the_levels_the_check_used(sandbox):
    """warn_percent=10 warns about many quotas: the scorecard and the terminal say the same."""
    from wa_audit.reports.html_format import FORMAT

    sandbox.seed("sample")
    checks = select(discover(), include=["rel.service-quotas"])
    params = {
        "rel.service-quotas": {
            "warn_percent": 10,
            "overrides": {"ec2/L-0263D0A3": {"warn_percent": 90, "critical_percent": 99}},
        }
    }
    report = run_audit(AwsSession(), checks, RunOptions(regions=REGIONS, params=params))
    judged = {
        (f.region, f.evidence["service_code"], f.evidence["quota_code"]): f.status
        for f in report.findings
    }
    levels = {(q.region, q.service_code, q.quota_code): q for q in report.quotas}
    eips = levels[("us-east-1", "ec2", "L-0263D0A3")]
    assert (eips.warn_percent, eips.critical_percent, eips.level) == (90, 99, "ok")
    others = [q for key, q in levels.items() if key[2] != "L-0263D0A3"]
    assert {(q.warn_percent, q.critical_percent) for q in others} == {(10, 95)}
    for key, quota in levels.items():
        expected = {Status.PASS: "ok", Status.WARN: "warning", Status.FAIL: "critical"}
        assert quota.level == expected.get(judged[key], "ok"), key
    flagged = sum(1 for q in report.quotas if q.level != "ok")
    assert flagged == sum(1 for s in judged.values() if s in (Status.WARN, Status.FAIL))
    assert flagged > 2
    html = FORMAT.render(report)
    assert html.count('class="usage-value usage-high') == flagged
    assert "amber at 80" not in html
    assert "warns at 10 %, fails at 95 %" in html
    assert "warns at 90 %, fails at 99 %" in html
    summary = summary_text(report)
    assert summary.count(" at 10%/95%)") == min(flagged, 10)


def test_skipping_the_quota_check_keeps_the_configured_levels(sandbox):
    """``--skip-check rel.service-quotas``: another reliability check still brings the quota
    section, coloured at the configured levels; the scorecard does not claim that a check which
    did not run warns or fails."""
    from wa_audit.reports.html_format import FORMAT

    sandbox.seed(sandbox.scenario("sample").only("quotas"))
    known = discover()
    checks = select(known, include=["rel.rds-multi-az"])
    params = {QUOTA_CHECK_ID: {"warn_percent": 10}}
    options = RunOptions(regions=REGIONS, params=params)
    report = run_audit(AwsSession(), checks, options, known_check_ids=[c.id for c in known])
    assert QUOTA_CHECK_ID not in {spec.id for spec in report.checks}
    assert report.quotas
    assert {(q.warn_percent, q.critical_percent) for q in report.quotas} == {(10, 95)}
    eips = next(q for q in report.quotas if (q.region, q.quota_code) == ("us-east-1", "L-0263D0A3"))
    assert eips.level == "warning"  # 80 % used: amber at 10 %, not at the default 80 %
    html = FORMAT.render(report)
    assert (
        "A bar turns amber at 10 % and red at 95 %: the levels configured for "
        "<code>rel.service-quotas</code>, which did not run in this audit." in html
    )
    assert "warns and fails" not in html
    assert "warns at" not in html


def test_bad_levels_are_refused_before_any_call_when_the_quota_check_is_skipped():
    class NoCalls:
        def identity(self):
            raise AssertionError("no AWS call before the parameters are checked")

    known = discover()
    checks = select(known, include=["rel.rds-multi-az"])
    params = {QUOTA_CHECK_ID: {"warn_percent": 96}}  # above the default critical level, 95
    options = RunOptions(regions=REGIONS, params=params)
    with pytest.raises(ConfigError) as error:
        run_audit(NoCalls(), checks, options, known_check_ids=[c.id for c in known])
    assert str(error.value) == (
        "params.\"rel.service-quotas\": bad value for '(top level)': "
        "Value error, warn_percent must not exceed critical_percent"
    )
