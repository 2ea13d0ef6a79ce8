"""What a check is: its pillar, severity, status values and metadata (a public contract)."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
    title: str = Field(description="What a compliant account looks like: 'Root user has MFA'.")
    fail_title: str | None = Field(
        default=None,
        description="The failure as a fact: 'Root user has no MFA'; what outputs print next "
        "to a FAIL or WARN.",
    )
    severity: Severity
    best_practices: tuple[str, ...] = Field(min_length=1)
    remediation: str
    docs_url: str
    facts: tuple[str, ...] = Field(description="Names of the facts the check reads.")
    regional: bool = Field(description="Run once per audited region rather than once per account.")

    @property
    def failure_title(self) -> str:
        """What a failing finding of this check is headed with (a plugin may give no fail_title)."""
        return self.fail_title or f"Not met: {self.title}"

    def title_for(self, status: Status) -> str:
        """The fact for a FAIL or WARN, the check's title otherwise."""
        return self.failure_title if status in (Status.FAIL, Status.WARN) else self.title

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
