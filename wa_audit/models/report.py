"""The Report: one run's result, the public contract that every format renders.

The Report's JSON Schema (``wa-audit schema``) is a public contract; bump ``SCHEMA_VERSION`` on any
change a consumer could notice, and add its entry to ``SCHEMA_HISTORY`` (tests/test_schema_version.py
holds each version's schema fingerprint and fails when the schema changes under an unchanged
version). The history is the schema's own description, so users read it where they read the
schema. New fields get a default, so files of earlier minor versions still load.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from wa_audit.models.check import CheckSpec, Frozen, Pillar, Severity
from wa_audit.models.finding import Finding, SuppressionOutcome
from wa_audit.models.scores import QuestionResult, Scores
from wa_audit.models.sections import QuotaUsage, SpendSummary

SCHEMA_VERSION = "1.3"

SCHEMA_HISTORY: tuple[tuple[str, str], ...] = (
    ("1.0", "the first Report."),
    (
        "1.1",
        "suppressions (Finding.suppression, Report.suppressions), the comparison with a baseline "
        "(Finding.change, Report.baseline), Report.fail_on_new, Report.aborted.",
    ),
    (
        "1.2",
        "Report.account_alias; also Report.questions, Report.scores, Report.spend and "
        "Report.quotas, which joined under 1.1 without a bump; per quota the levels "
        "rel.service-quotas judges it by, after overrides (QuotaUsage.warn_percent, "
        "QuotaUsage.critical_percent); a graded BestPracticeResult.score, and pillar and overall "
        "scores that are the risk-weighted mean of those; CheckSpec.fail_title, the failure as a "
        "fact; the change kind not_compared for a finding whose check or region the baseline did "
        "not audit.",
    ),
    (
        "1.3",
        "Report.organization: the account's place in its AWS Organization (organization and "
        "management account ids; with run --org, the account's name and OU path there). A Report "
        "with aborted set and no checks is an account that could not be audited at all (its role "
        "could not be assumed): it says why, for wa-audit merge.",
    ),
)
"""Each schema_version and what it added, oldest first; the last is ``SCHEMA_VERSION``."""


def schema_description() -> str:
    """The Report schema's description: what a Report is, and the history of its versions."""
    lines = [f"- {version}: {added}" for version, added in SCHEMA_HISTORY]
    return (
        f"One wa-audit run's result (results.json), schema_version {SCHEMA_VERSION}. Minor "
        "versions add fields, each with a default, so files of earlier minor versions still "
        "load.\n\nSchema history:\n" + "\n".join(lines)
    )


class AuditError(Frozen):
    """A fact that could not be fetched, and the checks it left unassessed."""

    fact: str
    region: str
    reason: str
    missing_permission: str | None = None
    checks: tuple[str, ...] = ()


class RegionNote(Frozen):
    """A region left out of the audit, and why (opt-in region not enabled, say)."""

    region: str
    reason: str


class BaselineInfo(Frozen):
    """The earlier run this one was compared with, and its failures that no longer fail.

    A resolved finding is usually absent from this run (the resource is gone, or the check now
    reports on something else), so it lives here as the baseline had it.
    """

    source: str = Field(description="The baseline file as given on the command line.")
    started_at: datetime
    tool_version: str
    resolved: tuple[Finding, ...] = Field(
        default=(),
        description="Baseline FAILs whose key no longer fails (same check and region audited).",
    )


class OrganizationPlace(Frozen):
    """Where the account sits in its AWS Organization, so a merged organization Report can name
    it as Organizations does."""

    organization_id: str
    management_account_id: str
    account_name: str | None = Field(
        default=None, description="The account's name in Organizations (known to run --org)."
    )
    ou_path: tuple[str, ...] = Field(
        default=(), description="OU ids from the root down to the account's parent (run --org)."
    )


class Report(Frozen):
    model_config = ConfigDict(json_schema_extra={"description": schema_description()})

    schema_version: str = Field(
        default=SCHEMA_VERSION,
        description="The version of this schema the Report follows (history: the description).",
    )
    tool_version: str
    account_id: str
    account_alias: str | None = None
    organization: OrganizationPlace | None = None
    partition: str
    regions: tuple[str, ...]
    skipped_regions: tuple[RegionNote, ...] = ()
    started_at: datetime
    finished_at: datetime
    checks: tuple[CheckSpec, ...] = Field(description="The checks that ran.")
    findings: tuple[Finding, ...]
    errors: tuple[AuditError, ...] = ()
    api_calls: dict[str, int] = Field(
        default_factory=dict, description="Operations made, keyed 'service:Operation'."
    )
    questions: tuple[QuestionResult, ...] = ()
    scores: Scores | None = None
    spend: SpendSummary | None = None
    quotas: tuple[QuotaUsage, ...] = ()
    fail_on: Severity | None = Field(description="Threshold for exit code 1; null means never.")
    fail_on_new: bool = Field(
        default=False, description="Only new failures (see 'baseline') counted for exit code 1."
    )
    suppressions: tuple[SuppressionOutcome, ...] = ()
    baseline: BaselineInfo | None = None
    aborted: str | None = Field(
        default=None, description="Why the audit stopped early; the findings are then partial."
    )
    exit_code: int

    @property
    def never_started(self) -> bool:
        """Nothing was audited: the account's role could not be assumed, say (``aborted`` says
        why)."""
        return self.aborted is not None and not self.checks

    @property
    def duration_seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    def check_spec(self, check_id: str) -> CheckSpec | None:
        return next((spec for spec in self.checks if spec.id == check_id), None)

    @property
    def overall_score(self) -> int | None:
        """The overall 0-100 score, rounded for one-line summaries (None: nothing assessed)."""
        if self.scores is None or self.scores.overall is None:
            return None
        return round(self.scores.overall)

    def pillar_score(self, pillar: Pillar) -> int | None:
        """A pillar's 0-100 score, rounded (None: nothing of it assessed)."""
        if self.scores is None:
            return None
        found = next((p.score for p in self.scores.pillars if p.pillar is pillar), None)
        return None if found is None else round(found)
