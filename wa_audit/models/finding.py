"""What a check produces, and how findings are matched across runs and suppressed."""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import Field

from wa_audit.models.check import CHECK_ID_PATTERN, Frozen, Pillar, Severity, Status


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
    NOT_COMPARED = "not_compared"  # its check or region was outside the baseline's audit


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
