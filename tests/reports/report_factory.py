"""A realistic Report built in the test: six pillars, every status, answers, spend and quotas.

The findings (19) as the browser tests count them:

| check                    | pillar | severity | us-east-1 | eu-west-1      | global |
|--------------------------|--------|----------|-----------|----------------|--------|
| sec.root-mfa             | sec    | critical |           |                | FAIL   |
| sec.root-access-keys     | sec    | critical |           |                | FAIL   |
| sec.password-policy      | sec    | medium   |           |                | PASS   |
| sec.cloudtrail-enabled   | sec    | high     | FAIL      | PASS           |        |
| rel.ebs-backups          | rel    | medium   | WARN      | PASS           |        |
| rel.health-events        | rel    | medium   | ERROR     | ERROR          |        |
| ops.alarm-actions        | ops    | medium   | FAIL      | PASS           |        |
| ops.alternate-contacts   | ops    | low      |           |                | PASS   |
| cost.budget-alerts       | cost   | high     |           |                | FAIL   |
| cost.idle-eips           | cost   | low      | WARN      | NOT_APPLICABLE |        |
| perf.previous-generation | perf   | low      | PASS      | WARN           |        |
| sus.gp2-volumes          | sus    | info     | FAIL      | NOT_APPLICABLE |        |

Account data carries the issue's hostile names: the budget and the alarm.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from wa_audit.answers import Answer
from wa_audit.baseline import Baseline, compare_with_baseline
from wa_audit.exitcodes import decide_exit_code
from wa_audit.framework import load_framework
from wa_audit.models import (
    AuditError,
    CheckSpec,
    Finding,
    MonthlyCost,
    Pillar,
    QuotaRequest,
    QuotaUsage,
    RegionNote,
    Report,
    ServiceCost,
    Severity,
    SpendSummary,
    Status,
    SuppressionRule,
)
from wa_audit.scoring import score
from wa_audit.suppressions import apply_suppressions

ACCOUNT = "123456789012"
STARTED = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
HOSTILE_BUDGET = "<img src=x onerror=alert(1)>"
HOSTILE_ALARM = "<script>alert(2)</script>"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"

FAIL_TITLES = {
    "sec.root-mfa": "Root user has no MFA",
    "sec.root-access-keys": "Root user has access keys",
    "sec.cloudtrail-enabled": "CloudTrail misses a region",
    "cost.budget-alerts": "Budgets alert nobody before overspend",
}  # the others fall back to "Not met: <title>", as a plugin's check without one does

SPECS = {
    spec.id: spec
    for spec in [
        CheckSpec(
            id=check_id,
            pillar=pillar,
            title=title,
            fail_title=FAIL_TITLES.get(check_id),
            severity=severity,
            best_practices=bps,
            remediation=f"Fix {title.lower()}.",
            docs_url=f"https://docs.aws.amazon.com/wellarchitected/latest/framework/{bps[0].lower()}.html",
            facts=("fact",),
            regional=regional,
        )
        for check_id, pillar, title, severity, bps, regional in [
            ("sec.root-mfa", Pillar.SECURITY, "Root user has MFA", Severity.CRITICAL, ("SEC01-BP02", "SEC02-BP01"), False),
            ("sec.root-access-keys", Pillar.SECURITY, "Root user has no access keys", Severity.CRITICAL, ("SEC02-BP02",), False),
            ("sec.password-policy", Pillar.SECURITY, "Password policy is strong", Severity.MEDIUM, ("SEC02-BP01",), False),
            ("sec.cloudtrail-enabled", Pillar.SECURITY, "CloudTrail records every region", Severity.HIGH, ("SEC04-BP01",), True),
            ("rel.ebs-backups", Pillar.RELIABILITY, "EBS volumes are backed up", Severity.MEDIUM, ("REL09-BP01",), True),
            ("rel.health-events", Pillar.RELIABILITY, "Health events reach someone", Severity.MEDIUM, ("REL06-BP01",), True),
            ("ops.alarm-actions", Pillar.OPERATIONAL_EXCELLENCE, "Alarms notify someone", Severity.MEDIUM, ("OPS08-BP04",), True),
            ("ops.alternate-contacts", Pillar.OPERATIONAL_EXCELLENCE, "Alternate contacts are set", Severity.LOW, ("OPS10-BP01",), False),
            ("cost.budget-alerts", Pillar.COST_OPTIMIZATION, "Budgets alert before overspend", Severity.HIGH, ("COST01-BP01",), False),
            ("cost.idle-eips", Pillar.COST_OPTIMIZATION, "No idle Elastic IPs", Severity.LOW, ("COST04-BP01",), True),
            ("perf.previous-generation", Pillar.PERFORMANCE, "No previous-generation instances", Severity.LOW, ("PERF02-BP01",), True),
            ("sus.gp2-volumes", Pillar.SUSTAINABILITY, "Volumes use gp3", Severity.INFO, ("SUS05-BP01",), True),
        ]
    ]
}  # fmt: skip


def finding(
    check_id: str,
    status: Status,
    region: str,
    resource: str,
    message: str,
    **evidence: Any,
) -> Finding:
    spec = SPECS[check_id]
    return Finding(
        check_id=check_id,
        pillar=spec.pillar,
        severity=spec.severity,
        status=status,
        region=region,
        resource=resource,
        message=message,
        best_practices=spec.best_practices,
        evidence=evidence,
    )


def sample_findings() -> list[Finding]:
    east, west = "us-east-1", "eu-west-1"
    volume = f"arn:aws:ec2:{east}:{ACCOUNT}:volume/vol-0a1b2c3d4e5f60718"
    alarm = f"arn:aws:cloudwatch:{east}:{ACCOUNT}:alarm:{HOSTILE_ALARM}"
    budget = f"arn:aws:budgets::{ACCOUNT}:budget/{HOSTILE_BUDGET}"
    return [
        finding("sec.root-mfa", Status.FAIL, "global", ROOT, "The root user has no MFA.", mfa=False),
        finding("sec.root-access-keys", Status.FAIL, "global", ROOT, "The root user has 1 access key.", keys=1),
        finding("sec.password-policy", Status.PASS, "global", ROOT, "Passwords need 14 characters.", minimum_length=14),
        finding("sec.cloudtrail-enabled", Status.FAIL, east, f"{ACCOUNT}/{east}", "No trail records us-east-1.", trails=[]),
        finding("sec.cloudtrail-enabled", Status.PASS, west, f"{ACCOUNT}/{west}", "Trail 'org' records eu-west-1.", trails=["org"]),
        finding("rel.ebs-backups", Status.WARN, east, volume, "Volume has no snapshot in 7 days.", last_snapshot_days=40),
        finding("rel.ebs-backups", Status.PASS, west, f"{ACCOUNT}/{west}", "Every volume has a recent snapshot."),
        finding("rel.health-events", Status.ERROR, east, f"{ACCOUNT}/{east}", "Not assessed: events_rules unavailable (AccessDenied).", missing_permission="events:ListRules"),
        finding("rel.health-events", Status.ERROR, west, f"{ACCOUNT}/{west}", "Not assessed: events_rules unavailable (AccessDenied).", missing_permission="events:ListRules"),
        finding("ops.alarm-actions", Status.FAIL, east, alarm, f"Alarm {HOSTILE_ALARM} has no action.", alarm_name=HOSTILE_ALARM, actions=[]),
        finding("ops.alarm-actions", Status.PASS, west, f"{ACCOUNT}/{west}", "Every alarm notifies a topic."),
        finding("ops.alternate-contacts", Status.PASS, "global", ROOT, "Security, billing and operations contacts are set."),
        finding("cost.budget-alerts", Status.FAIL, "global", budget, f"Budget {HOSTILE_BUDGET} has no alert.", budget_name=HOSTILE_BUDGET, notifications=0),
        finding("cost.idle-eips", Status.WARN, east, f"arn:aws:ec2:{east}:{ACCOUNT}:elastic-ip/eipalloc-0f1e2d3c", "Elastic IP 203.0.113.10 is not associated.", public_ip="203.0.113.10"),
        finding("cost.idle-eips", Status.NOT_APPLICABLE, west, f"{ACCOUNT}/{west}", "Nothing to assess: no matching resources."),
        finding("perf.previous-generation", Status.PASS, east, f"{ACCOUNT}/{east}", "Every instance is current generation."),
        finding("perf.previous-generation", Status.WARN, west, f"arn:aws:ec2:{west}:{ACCOUNT}:instance/i-0123456789abcdef0", "Instance runs m4.large (previous generation).", instance_type="m4.large"),
        finding("sus.gp2-volumes", Status.FAIL, east, volume, "Volume is gp2; gp3 is cheaper and more efficient.", volume_type="gp2"),
        finding("sus.gp2-volumes", Status.NOT_APPLICABLE, west, f"{ACCOUNT}/{west}", "Nothing to assess: no matching resources."),
    ]  # fmt: skip


ANSWERS = {
    "OPS01-BP01": Answer(status="met", note="Priorities reviewed each quarter.", date=date(2026, 10, 1)),
    "COST01-BP02": Answer(status="not_met", note="No finance partner yet.", date=date(2026, 10, 1)),
    "SEC10-BP01": Answer(status="met", note="Runbooks exist.", date=date(2024, 6, 1)),  # stale
    "SEC01-BP02": Answer(status="met", note="We think root has MFA.", date=date(2026, 10, 1)),  # conflict
}  # fmt: skip


def sample_spend() -> SpendSummary:
    def month(name: str, ec2: float, rds: float, s3: float, cw: float, other: float) -> MonthlyCost:
        services = (
            ServiceCost(service="Amazon Elastic Compute Cloud - Compute", amount=ec2),
            ServiceCost(service="Amazon Relational Database Service", amount=rds),
            ServiceCost(service="Amazon Simple Storage Service", amount=s3),
            ServiceCost(service="AmazonCloudWatch", amount=cw),
            ServiceCost(service="AWS Key Management Service", amount=other),
        )
        return MonthlyCost(month=name, amount=ec2 + rds + s3 + cw + other, by_service=services)

    return SpendSummary(
        available=True,
        month_to_date=412.35,
        forecast_month_end=690.0,
        last_months=(
            month("2026-07", 210.0, 120.0, 31.5, 12.2, 4.0),
            month("2026-08", 260.0, 122.0, 33.0, 14.9, 4.0),
            month("2026-09", 301.0, 125.0, 36.4, 15.1, 4.1),
            month("2026-10", 344.0, 126.5, 39.9, 18.0, 4.2),
        ),
        top_services=(
            ServiceCost(service="Amazon Elastic Compute Cloud - Compute", amount=251.1),
            ServiceCost(service="Amazon Relational Database Service", amount=98.4),
            ServiceCost(service="Amazon Simple Storage Service", amount=27.3),
        ),
        largest_budget_name=HOSTILE_BUDGET,
        largest_budget_limit=500.0,
        forecast_vs_budget_percent=138.0,
    )


def sample_quotas() -> tuple[QuotaUsage, ...]:
    def quota(
        region: str, service: str, code: str, name: str, usage: float, limit: float, **extra: Any
    ) -> QuotaUsage:
        return QuotaUsage(
            region=region,
            service_code=service,
            quota_code=code,
            quota_name=name,
            usage=usage,
            limit=limit,
            limit_source="applied",
            percent=round(100 * usage / limit, 1),
            adjustable=True,
            usage_source="cloudwatch:ResourceCount",
            **extra,
        )

    request = QuotaRequest(id="req-1", status="CASE_OPENED", desired_value=10.0, created=STARTED)
    return (
        quota("us-east-1", "ec2", "L-0263D0A3", "EC2-VPC Elastic IPs", 4, 5, open_request=request),
        quota("us-east-1", "ec2", "L-1216C47A", "Running On-Demand Standard instances", 28, 32),
        quota("eu-west-1", "ec2", "L-1216C47A", "Running On-Demand Standard instances", 4, 32),
        quota("us-east-1", "vpc", "L-F678F1CE", "VPCs per Region", 2, 5),
    )


def sample_report(**overrides: Any) -> Report:
    """The sample Report; keyword arguments replace any of its fields."""
    findings = sample_findings()
    checks = list(SPECS.values())
    questions, scores = score(load_framework(), checks, findings, ANSWERS, STARTED.date())
    fields: dict[str, Any] = {
        "tool_version": "0.1.0",
        "account_id": ACCOUNT,
        "partition": "aws",
        "regions": ("us-east-1", "eu-west-1"),
        "skipped_regions": (
            RegionNote(region="ap-east-1", reason="opt-in region not enabled"),
            RegionNote(region="me-central-1", reason="opt-in region not enabled for this account"),
        ),
        "started_at": STARTED,
        "finished_at": STARTED + timedelta(seconds=83.4),
        "checks": tuple(checks),
        "findings": tuple(findings),
        "errors": tuple(
            AuditError(
                fact="events_rules",
                region=region,
                reason="AccessDenied: not authorized to perform events:ListRules",
                missing_permission="events:ListRules",
                checks=("rel.health-events",),
            )
            for region in ("us-east-1", "eu-west-1")
        ),
        "api_calls": {"iam:GetAccountSummary": 1, "ec2:DescribeVolumes": 2},
        "questions": questions,
        "scores": scores,
        "spend": sample_spend(),
        "quotas": sample_quotas(),
        "fail_on": Severity.HIGH,
        "exit_code": decide_exit_code(findings, Severity.HIGH),
    }
    fields.update(overrides)
    return Report(**fields)


def many_findings(count: int) -> list[Finding]:
    """``count`` findings spread over the sample checks, regions and statuses, each on its own
    resource with a realistic ARN, message and evidence (the size test's input)."""
    statuses = (Status.FAIL, Status.PASS, Status.WARN, Status.PASS, Status.NOT_APPLICABLE)
    regions = ("us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2")
    specs = list(SPECS.values())
    findings = []
    for number in range(count):
        spec, region = specs[number % len(specs)], regions[number % len(regions)]
        volume = f"vol-{number:017x}"
        findings.append(
            finding(
                spec.id,
                statuses[number % len(statuses)],
                region,
                f"arn:aws:ec2:{region}:{ACCOUNT}:volume/{volume}",
                f"Volume {volume} (team-{number % 40}) has no snapshot in the last 7 days.",
                volume_id=volume,
                size_gib=100 + number % 900,
                tags={"Name": f"web-{number}", "team": f"team-{number % 40}"},
                last_snapshot_days=number % 90,
            )
        )
    return findings


BASELINE_STARTED = STARTED - timedelta(days=1)
SUPPRESSION_RULES = (
    SuppressionRule(
        check="sec.root-access-keys",
        reason="Break-glass key; it lives in the safe",
        expires=date(2027, 3, 31),
    ),
    SuppressionRule(check="rel.ebs-backups", resource="*vol-gone*", reason="Old", expires=date(2027, 1, 1)),
    SuppressionRule(check="sus.gp2-volumes", reason="Until the migration", expires=date(2026, 1, 31)),
)  # fmt: skip
GONE_VOLUME = f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/vol-0deadbeef0000000"


def baseline_findings() -> list[Finding]:
    """Yesterday's run: no budget finding yet, the eu-west-1 instance was fine, CloudTrail was off
    in eu-west-1 too, and a gp2 volume that has since been deleted."""
    today = sample_findings()
    yesterday = [f for f in today if f.check_id != "cost.budget-alerts"]
    yesterday = [
        f.model_copy(update={"status": Status.PASS})
        if (f.check_id, f.region) == ("perf.previous-generation", "eu-west-1")
        else f.model_copy(update={"status": Status.FAIL, "message": "No trail records eu-west-1."})
        if (f.check_id, f.region) == ("sec.cloudtrail-enabled", "eu-west-1")
        else f
        for f in yesterday
    ]
    gone = finding("sus.gp2-volumes", Status.FAIL, "us-east-1", GONE_VOLUME, "Volume is gp2.")
    return [*yesterday, gone]


def triaged_report() -> Report:
    """The sample run compared with a baseline and with suppressions applied, by the engine's own
    comparison and suppression code."""
    checks_run = {spec.id for spec in SPECS.values()}
    suppressed = apply_suppressions(
        sample_findings(), SUPPRESSION_RULES, today=STARTED.date(), checks_run=checks_run
    )
    baseline = Baseline(
        sample_report(findings=tuple(baseline_findings()), started_at=BASELINE_STARTED,
                      finished_at=BASELINE_STARTED + timedelta(seconds=80)),
        "nightly/latest/results.json",
    )  # fmt: skip
    findings, info = compare_with_baseline(
        suppressed.findings, baseline, checks_run=checks_run, regions=("us-east-1", "eu-west-1")
    )
    return sample_report(
        checks=(*SPECS.values(), *suppressed.checks),
        findings=findings,
        suppressions=suppressed.outcomes,
        baseline=info,
        exit_code=decide_exit_code(findings, Severity.HIGH),
    )
