"""The data that crosses wa-audit's boundaries: check metadata, findings and the Report.

The Report's JSON Schema (``wa-audit schema``) is a public contract; bump ``SCHEMA_VERSION`` on any
change a consumer could notice.

Schema history: 1.0 the first Report; 1.1 adds suppressions (``Finding.suppression``,
``Report.suppressions``), the comparison with a baseline (``Finding.change``,
``Report.baseline``), ``Report.fail_on_new`` and ``Report.aborted``. Every 1.1 field has a
default, so 1.0 files still load.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = "1.1"
GLOBAL_REGION = "global"

CHECK_ID_PATTERN = r"^(ops|sec|rel|perf|cost|sus)\.[a-z0-9]+(-[a-z0-9]+)*$"
BEST_PRACTICE_PATTERN = r"^(OPS|SEC|REL|PERF|COST|SUS)\d{2}-BP\d{2}$"


class Frozen(BaseModel):
    """Base for every boundary model: immutable and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Pillar(StrEnum):
    """The six pillars, valued by their WA Tool pillar ids."""

    OPERATIONAL_EXCELLENCE = "operationalExcellence"
    SECURITY = "security"
    RELIABILITY = "reliability"
    PERFORMANCE = "performance"
    COST_OPTIMIZATION = "costOptimization"
    SUSTAINABILITY = "sustainability"

    @property
    def check_prefix(self) -> str:
        return _PILLAR_PREFIX[self]

    @property
    def label(self) -> str:
        return _PILLAR_TITLE[self]

    @classmethod
    def parse(cls, text: str) -> Pillar:
        """Accept the WA id, the check prefix or the title in any case (``sec``, ``Security``)."""
        wanted = text.strip().lower().replace("_", " ").replace("-", " ")
        for pillar in cls:
            names = {pillar.value.lower(), pillar.check_prefix, pillar.label.lower()}
            if wanted in names or wanted.replace(" ", "") in names:
                return pillar
        raise ValueError(f"unknown pillar {text!r}")


_PILLAR_PREFIX = {
    Pillar.OPERATIONAL_EXCELLENCE: "ops",
    Pillar.SECURITY: "sec",
    Pillar.RELIABILITY: "rel",
    Pillar.PERFORMANCE: "perf",
    Pillar.COST_OPTIMIZATION: "cost",
    Pillar.SUSTAINABILITY: "sus",
}
_PILLAR_TITLE = {
    Pillar.OPERATIONAL_EXCELLENCE: "Operational excellence",
    Pillar.SECURITY: "Security",
    Pillar.RELIABILITY: "Reliability",
    Pillar.PERFORMANCE: "Performance efficiency",
    Pillar.COST_OPTIMIZATION: "Cost optimization",
    Pillar.SUSTAINABILITY: "Sustainability",
}


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Status(StrEnum):
    PASS = "PASS"  # noqa: S105 (a status, not a password)
    FAIL = "FAIL"
    WARN = "WARN"
    ERROR = "ERROR"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class CheckSpec(Frozen):
    """A check's metadata; ``id`` is a public contract (config, suppressions, baselines use it)."""

    id: str = Field(pattern=CHECK_ID_PATTERN)
    pillar: Pillar
    title: str
    severity: Severity
    best_practices: tuple[str, ...] = Field(min_length=1)
    remediation: str
    docs_url: str
    facts: tuple[str, ...] = Field(description="Names of the facts the check reads.")
    regional: bool = Field(description="Run once per audited region rather than once per account.")

    @field_validator("best_practices")
    @classmethod
    def _best_practice_ids(cls, ids: tuple[str, ...]) -> tuple[str, ...]:
        for bp in ids:
            if not re.match(BEST_PRACTICE_PATTERN, bp):
                raise ValueError(f"{bp!r} is not a best-practice id like SEC02-BP01")
        return ids

    @model_validator(mode="after")
    def _prefix_matches_pillar(self) -> CheckSpec:
        if not self.id.startswith(self.pillar.check_prefix + "."):
            raise ValueError(f"check id {self.id!r} must start with {self.pillar.check_prefix}.")
        return self


class FindingKey(NamedTuple):
    """What makes two runs' findings "the same finding": the check, where, and on what."""

    check_id: str
    region: str
    resource: str


class AppliedSuppression(Frozen):
    """Why a finding is accepted and until when (copied from the matching config entry)."""

    reason: str
    expires: date


class Change(StrEnum):
    """How a finding compares with the baseline run (``wa-audit run --baseline``)."""

    NEW = "new"  # no finding with this key in the baseline
    CHANGED = "changed"  # same key, different status or severity
    UNCHANGED = "unchanged"


class FindingChange(Frozen):
    kind: Change
    previous_status: Status | None = Field(
        default=None, description="The baseline's status, when the key was in the baseline."
    )
    previous_severity: Severity | None = None


class Finding(Frozen):
    check_id: str
    pillar: Pillar
    severity: Severity
    status: Status
    region: str
    resource: str = Field(description="ARN where one exists, else the natural id.")
    message: str
    best_practices: tuple[str, ...]
    evidence: dict[str, Any] = Field(default_factory=dict)
    suppression: AppliedSuppression | None = Field(
        default=None, description="Set when an unexpired suppression accepts this finding."
    )
    change: FindingChange | None = Field(
        default=None, description="Set when the run was compared with a baseline."
    )

    @property
    def key(self) -> FindingKey:
        return FindingKey(self.check_id, self.region, self.resource)

    @property
    def fingerprint(self) -> str:
        """A stable id of the key, for tools that track findings across runs (SARIF, OCSF)."""
        text = "\x1f".join(self.key)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def open_failure(self) -> bool:
        """A FAIL nobody has accepted: what ``--fail-on`` gates on."""
        return self.status is Status.FAIL and not self.suppressed

    @property
    def new_failure(self) -> bool:
        """An open FAIL that the baseline did not have as a FAIL (new key, or PASS → FAIL)."""
        if not self.open_failure or self.change is None:
            return False
        return self.change.kind is Change.NEW or self.change.previous_status is not Status.FAIL


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by check, region and resource: the one order every output uses."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.check_id, f.region, f.resource))


class SuppressionRule(Frozen):
    """One ``[[suppressions]]`` entry: an accepted finding, until ``expires``."""

    check: str = Field(pattern=CHECK_ID_PATTERN, description="The check id it applies to.")
    resource: str = Field(
        default="*", min_length=1, description="fnmatch glob on the finding's resource (ARN)."
    )
    region: str = Field(
        default="*", min_length=1, description="Region or glob; 'global' for account-wide findings."
    )
    reason: str = Field(min_length=1, pattern=r"\S", description="Why the finding is accepted.")
    expires: date = Field(
        description="Last day the suppression applies (UTC); from the next day it re-fails."
    )

    def matches(self, finding: Finding) -> bool:
        return (
            finding.check_id == self.check
            and fnmatch.fnmatchcase(finding.region, self.region)
            and fnmatch.fnmatchcase(finding.resource, self.resource)
        )

    def expired(self, today: date) -> bool:
        return today > self.expires


class SuppressionState(StrEnum):
    ACTIVE = "active"  # applied to at least one finding
    UNUSED = "unused"  # its check ran, but nothing it matches failed: clean it up
    EXPIRED = "expired"  # past its date: no longer applied, and a WARN finding says so
    NOT_RUN = "not_run"  # its check was not selected this run


class SuppressionOutcome(Frozen):
    rule: SuppressionRule
    state: SuppressionState
    matched: int = Field(ge=0, description="Findings it applied to (or would have, if expired).")


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


class ServiceCost(Frozen):
    service: str
    amount: float


class MonthlyCost(Frozen):
    month: str = Field(description="YYYY-MM")
    amount: float
    by_service: tuple[ServiceCost, ...] = ()


class SpendSummary(Frozen):
    """What the account spends and where it is heading (Cost Explorer), next to its budgets."""

    available: bool
    reason: str | None = Field(
        default=None, description="Why the numbers are missing, if they are."
    )
    currency: str = "USD"
    month_to_date: float | None = None
    forecast_month_end: float | None = None
    last_months: tuple[MonthlyCost, ...] = ()
    top_services: tuple[ServiceCost, ...] = ()
    largest_budget_name: str | None = None
    largest_budget_limit: float | None = None
    forecast_vs_budget_percent: float | None = None


class QuotaRequest(Frozen):
    id: str
    status: str
    desired_value: float
    created: datetime | None = None


class QuotaUsage(Frozen):
    """One quota in one region: how much of it the account uses."""

    region: str
    service_code: str
    quota_code: str
    quota_name: str
    usage: float | None
    limit: float
    limit_source: str = Field(description="'applied' (ListServiceQuotas) or 'default'.")
    percent: float | None
    adjustable: bool
    usage_source: str = Field(description="'cloudwatch:<metric>' or 'api:<operation>'.")
    open_request: QuotaRequest | None = None
    quota_arn: str | None = None
    note: str | None = Field(
        default=None, description="Why a value is a fallback or missing, if it is."
    )


class BestPracticeStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


class AssessedBy(StrEnum):
    AUTOMATED = "automated"
    ANSWERED = "answered"
    UNASSESSED = "unassessed"


class QuestionRisk(StrEnum):
    """The WA Tool's question risk values."""

    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    NONE = "NONE"
    UNANSWERED = "UNANSWERED"
    NOT_APPLICABLE = "NOT_APPLICABLE"


class AnswerRecord(Frozen):
    status: BestPracticeStatus
    note: str = ""
    answered_on: date | None = None
    stale: bool = False


class BestPracticeResult(Frozen):
    id: str
    choice_id: str
    title: str
    risk: str = Field(description="high | medium | low: AWS's risk if not established.")
    status: BestPracticeStatus
    assessed_by: AssessedBy
    checks: tuple[str, ...] = Field(default=(), description="Checks that assessed it in this run.")
    answer: AnswerRecord | None = None
    conflict: str | None = Field(
        default=None, description="Why the recorded answer disagrees with the checks."
    )


class QuestionResult(Frozen):
    pillar: Pillar
    label: str = Field(description="'SEC 2'")
    id: str = Field(description="WA Tool QuestionId")
    title: str
    risk: QuestionRisk
    best_practices: tuple[BestPracticeResult, ...]


class Coverage(Frozen):
    automated: int
    answered: int
    unassessed: int


class PillarScore(Frozen):
    pillar: Pillar
    score: float | None = Field(description="0-100, risk-weighted share of assessed BPs met.")
    high_risks: int
    medium_risks: int
    questions: int
    coverage: Coverage


class Scores(Frozen):
    framework_version: str
    overall: float | None
    pillars: tuple[PillarScore, ...]


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


class Report(Frozen):
    schema_version: str = SCHEMA_VERSION
    tool_version: str
    account_id: str
    account_alias: str | None = None
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
