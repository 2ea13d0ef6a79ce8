"""Security checks of detection and response: trails, threat detection, findings, contacts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_audit.context import CheckContext
from wa_audit.facts.accessanalyzer import EXTERNAL_ACCESS_TYPES, analyzers
from wa_audit.facts.account import alternate_contacts
from wa_audit.facts.cloudtrail import Trail, trails
from wa_audit.facts.guardduty import detectors
from wa_audit.facts.securityhub import hub
from wa_audit.models import Finding, Pillar, Severity, Status
from wa_audit.registry import check

from .security_common import region_resource


def trail_gaps(trail: Trail) -> list[str]:
    """What keeps a multi-region trail from recording the account's management activity."""
    gaps = []
    if not trail.logging:
        gaps.append("is not logging")
    events = trail.management_events
    if events is not None and not events.all:
        logged = "only read" if events.reads else "only write" if events.writes else "no"
        gaps.append(f"logs {logged} management events")
    # A trail setting of its own, whatever kind of selectors the trail has (botocore's Trail
    # shape). AWS refuses it false on a multi-region trail, so the fact reads it as true there
    # when DescribeTrails leaves it out.
    if not trail.include_global_service_events:
        gaps.append("leaves out global service events (IAM, STS, CloudFront)")
    if not trail.log_file_validation:
        gaps.append("has log file validation off")
    return gaps


def _trail_evidence(trail: Trail) -> dict[str, object]:
    events = trail.management_events
    return {
        **trail.model_dump(
            include={
                "name",
                "home_region",
                "multi_region",
                "organization_trail",
                "logging",
                "log_file_validation",
                "include_global_service_events",
            }
        ),
        "management_events": events.model_dump() if events else _unread(trail),
    }


def _unread(trail: Trail) -> str:
    why = f" ({trail.selectors_unread})" if trail.selectors_unread else ""
    return f"not readable from this account{why}"


def _trail_verdict(trail: Trail) -> str:
    """The PASS message; an organization trail of another account says what could not be read."""
    kind = "Organization trail" if trail.organization_trail else "Multi-region trail"
    if trail.management_events is None:
        return (
            f"{kind} {trail.name} (account {trail.owner_account}) is logging with log file "
            "validation; its event selectors can be read only from that account."
        )
    return (
        f"{kind} {trail.name} is logging all management events, global service events "
        "included, with log file validation."
    )


@check(
    id="sec.cloudtrail",
    pillar=Pillar.SECURITY,
    title="A multi-region CloudTrail trail logs all management events, with file validation",
    fail_title="No multi-region CloudTrail trail logs all management events with file validation",
    severity=Severity.HIGH,
    best_practices=["SEC04-BP01"],
    remediation=(
        "Create (or convert to) a multi-region trail that logs read and write management events "
        "and global service events, turn on log file validation, and make sure it is logging; "
        "in an organization, an organization trail does this for every account."
    ),
    docs_url="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-workflow.html",
    facts=[trails],
)
def cloudtrail(ctx: CheckContext) -> Iterator[Finding]:
    found = ctx.fact(trails)
    evidence = {"trails": [_trail_evidence(trail) for trail in found]}
    multi_region = sorted((t for t in found if t.multi_region), key=lambda t: len(trail_gaps(t)))
    if not multi_region:
        single = ", ".join(f"{t.name} ({t.home_region})" for t in found)
        detail = f"only single-region trails: {single}" if found else "no trail at all"
        yield ctx.failed(
            ctx.account_arn,
            f"No multi-region CloudTrail trail ({detail}): activity in other regions goes "
            "unrecorded.",
            evidence=evidence,
        )
        return
    best = multi_region[0]
    gaps = trail_gaps(best)
    if gaps:
        yield ctx.failed(
            best.arn,
            f"Multi-region trail {best.name} "
            + ", ".join(gaps[:-1])
            + (" and " if len(gaps) > 1 else "")
            + gaps[-1]
            + ".",
            evidence=evidence,
        )
    else:
        yield ctx.passed(best.arn, _trail_verdict(best), evidence=evidence)


@check(
    id="sec.guardduty",
    pillar=Pillar.SECURITY,
    title="GuardDuty is enabled",
    fail_title="GuardDuty is not enabled",
    severity=Severity.HIGH,
    best_practices=["SEC04-BP03"],
    remediation="Enable GuardDuty in every region you use (a delegated administrator can do so "
    "for a whole organization).",
    docs_url="https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html",
    facts=[detectors],
    regional=True,
)
def guardduty(ctx: CheckContext) -> Iterator[Finding]:
    found = ctx.fact(detectors)
    evidence = {"detectors": [d.model_dump(include={"id", "status"}) for d in found]}
    enabled = [d for d in found if d.enabled]
    if enabled:
        yield ctx.passed(enabled[0].arn, "GuardDuty is enabled.", evidence=evidence)
    elif found:
        yield ctx.failed(found[0].arn, "GuardDuty is suspended.", evidence=evidence)
    else:
        yield ctx.failed(region_resource(ctx), "GuardDuty is not enabled.", evidence=evidence)


@check(
    id="sec.access-analyzer",
    pillar=Pillar.SECURITY,
    title="IAM Access Analyzer watches for external access",
    fail_title="No IAM Access Analyzer watches for external access",
    severity=Severity.MEDIUM,
    best_practices=["SEC03-BP07"],
    remediation="Create an IAM Access Analyzer external access analyzer (account or "
    "organization zone of trust) in every region you use; it is free.",
    docs_url="https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-getting-started.html",
    facts=[analyzers],
    regional=True,
)
def access_analyzer(ctx: CheckContext) -> Iterator[Finding]:
    found = ctx.fact(analyzers)
    evidence = {"analyzers": [a.model_dump(include={"name", "type", "status"}) for a in found]}
    watching = [a for a in found if a.active and a.external_access]
    if watching:
        yield ctx.passed(
            watching[0].arn,
            f"Access analyzer {watching[0].name} is active.",
            evidence=evidence,
        )
        return
    if not found:
        problem = "No IAM Access Analyzer analyzer"
    elif not any(a.external_access for a in found):
        problem = "No external access analyzer (only " + ", ".join(a.type for a in found) + ")"
    else:
        problem = "No active external access analyzer"
    yield ctx.failed(
        region_resource(ctx),
        f"{problem}: public and cross-account access to resources goes unnoticed.",
        evidence={**evidence, "counted_types": sorted(EXTERNAL_ACCESS_TYPES)},
    )


@check(
    id="sec.security-hub",
    pillar=Pillar.SECURITY,
    title="Security Hub is enabled",
    fail_title="Security Hub is not enabled",
    severity=Severity.LOW,
    best_practices=["SEC04-BP02", "SEC04-BP04"],
    remediation="Enable Security Hub (or Security Hub CSPM with the AWS Foundational Security "
    "Best Practices standard) in every region you use.",
    docs_url="https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html",
    facts=[hub],
    regional=True,
)
def security_hub(ctx: CheckContext) -> Iterator[Finding]:
    """Either form counts: the new Security Hub (V2) or Security Hub CSPM."""
    found = ctx.fact(hub)
    evidence: dict[str, Any] = {
        "security_hub": {"enabled": found.v2.enabled, "reason": found.v2.reason},
        "security_hub_cspm": {"enabled": found.enabled, "reason": found.reason},
    }
    if found.v2.enabled and found.v2.arn:
        evidence["security_hub"]["subscribed_at"] = found.v2.subscribed_at
        yield ctx.passed(found.v2.arn, "Security Hub is enabled.", evidence=evidence)
    elif found.enabled and found.arn:
        evidence["security_hub_cspm"]["subscribed_at"] = found.subscribed_at
        yield ctx.passed(found.arn, "Security Hub CSPM is enabled.", evidence=evidence)
    elif not found.v2.known:
        message = (
            "Not assessed: Security Hub CSPM is off, and whether the new Security Hub is on "
            f"cannot be read ({found.v2.reason})."
        )
        if found.v2.missing_permission:
            evidence["missing_permission"] = found.v2.missing_permission
        yield ctx.finding(Status.ERROR, region_resource(ctx), message, evidence=evidence)
    else:
        yield ctx.failed(
            region_resource(ctx),
            "Security Hub is not enabled (neither Security Hub nor Security Hub CSPM): findings "
            "stay scattered across services.",
            evidence=evidence,
        )


@check(
    id="sec.security-contact",
    pillar=Pillar.SECURITY,
    title="The account has a security contact",
    fail_title="The account has no security contact",
    severity=Severity.MEDIUM,
    best_practices=["SEC10-BP01"],
    remediation="Set the account's SECURITY alternate contact (Account > Alternate contacts), "
    "ideally a team mailbox.",
    docs_url="https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-update-contact-alternate.html",
    facts=[alternate_contacts],
)
def security_contact(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.fact(alternate_contacts).missing("SECURITY"):
        yield ctx.failed(
            ctx.account_arn,
            "No security contact: AWS's security notices go only to the root email address.",
            evidence={"SECURITY": "not set"},
        )
    else:
        yield ctx.passed(
            ctx.account_arn, "The security contact is set.", evidence={"SECURITY": "set"}
        )
