"""The data that crosses wa-audit's boundaries: check metadata, findings and the Report.

The Report's JSON Schema (``wa-audit schema``) is a public contract; bump ``SCHEMA_VERSION`` on any
change a consumer could notice.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = "1.0"
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


class Report(Frozen):
    schema_version: str = SCHEMA_VERSION
    tool_version: str
    account_id: str
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
    spend: SpendSummary | None = None
    quotas: tuple[QuotaUsage, ...] = ()
    fail_on: Severity | None = Field(description="Threshold for exit code 1; null means never.")
    exit_code: int

    @property
    def duration_seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()
