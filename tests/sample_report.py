"""A Report built in the test, with one finding of every kind the formats must render."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from wa_audit.models import (
    AppliedSuppression,
    BaselineInfo,
    Change,
    CheckSpec,
    Finding,
    FindingChange,
    Pillar,
    Report,
    Severity,
    Status,
    SuppressionOutcome,
    SuppressionRule,
    SuppressionState,
)

ACCOUNT_ID = "123456789012"
ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"
BUCKET = "arn:aws:s3:::logs|bucket"  # a pipe, to prove markdown tables escape it
STARTED = datetime(2026, 11, 29, 21, 15, tzinfo=UTC)
PREVIOUS = datetime(2026, 11, 28, 21, 15, tzinfo=UTC)


def spec(check_id: str, pillar: Pillar, severity: Severity, title: str) -> CheckSpec:
    return CheckSpec(
        id=check_id,
        pillar=pillar,
        title=title,
        severity=severity,
        best_practices=("SEC02-BP01",) if pillar is Pillar.SECURITY else ("REL09-BP01",),
        remediation=f"Fix {check_id}.",
        docs_url=f"https://docs.example/{check_id}",
        facts=(),
        regional=pillar is not Pillar.SECURITY,
    )


SPECS = (
    spec("sec.root-mfa", Pillar.SECURITY, Severity.CRITICAL, "Root user has MFA"),
    spec("sec.bucket-policy", Pillar.SECURITY, Severity.MEDIUM, "Buckets are private"),
    spec("rel.backups", Pillar.RELIABILITY, Severity.HIGH, "Backups exist"),
)


def finding(check_id: str, status: Status, resource: str = ROOT, **extra: Any) -> Finding:
    the_spec = next(s for s in SPECS if s.id == check_id)
    values: dict[str, Any] = {
        "check_id": check_id,
        "pillar": the_spec.pillar,
        "severity": the_spec.severity,
        "status": status,
        "region": "global" if the_spec.pillar is Pillar.SECURITY else "eu-west-1",
        "resource": resource,
        "message": f"{check_id} is {status.value}.",
        "best_practices": the_spec.best_practices,
    } | extra
    return Finding(**values)


def new(**previous: Any) -> FindingChange:
    if previous:
        return FindingChange(kind=Change.CHANGED, **previous)
    return FindingChange(kind=Change.NEW)


UNCHANGED = FindingChange(
    kind=Change.UNCHANGED, previous_status=Status.FAIL, previous_severity=Severity.MEDIUM
)
ACCEPTED = AppliedSuppression(reason="Public website bucket", expires=date(2027, 1, 31))


def sample_report(*, with_baseline: bool = True, **overrides: Any) -> Report:
    """Findings: a new critical FAIL, a suppressed FAIL, a WARN, an ERROR, a PASS, an N/A."""
    findings = (
        finding(
            "sec.root-mfa",
            Status.FAIL,
            message="The root user has no MFA | anyone with its password controls the account.",
            change=new(previous_status=Status.PASS, previous_severity=Severity.CRITICAL),
        ),
        finding("sec.bucket-policy", Status.FAIL, BUCKET, suppression=ACCEPTED, change=UNCHANGED),
        finding("sec.bucket-policy", Status.WARN, "arn:aws:s3:::assets", change=new()),
        finding("rel.backups", Status.ERROR, f"{ACCOUNT_ID}/eu-west-1", change=new()),
        finding("rel.backups", Status.PASS, "arn:aws:rds:eu-west-1:123456789012:db:main"),
        finding("rel.backups", Status.NOT_APPLICABLE, f"{ACCOUNT_ID}/eu-west-2"),
    )
    if not with_baseline:
        findings = tuple(f.model_copy(update={"change": None}) for f in findings)
    resolved = finding("rel.backups", Status.FAIL, "arn:aws:rds:eu-west-1:123456789012:db:old")
    rule = SuppressionRule(
        check="sec.bucket-policy",
        resource="arn:aws:s3:::logs*",
        reason="Public website bucket",
        expires=date(2027, 1, 31),
    )
    values: dict[str, Any] = {
        "tool_version": "0.1.0",
        "account_id": ACCOUNT_ID,
        "partition": "aws",
        "regions": ("eu-west-1", "eu-west-2"),
        "started_at": STARTED,
        "finished_at": STARTED.replace(second=42),
        "checks": SPECS,
        "findings": findings,
        "fail_on": Severity.HIGH,
        "suppressions": (SuppressionOutcome(rule=rule, state=SuppressionState.ACTIVE, matched=1),),
        "baseline": BaselineInfo(
            source="previous.json", started_at=PREVIOUS, tool_version="0.1.0", resolved=(resolved,)
        )
        if with_baseline
        else None,
        "exit_code": 1,
    } | overrides
    return Report(**values)
