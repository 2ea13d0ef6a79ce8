"""Findings of one check with one verdict, read as one line: "FAIL in 17 regions".

A check that fails the same way in every region, or on forty buckets, says one thing; the terminal
and the scorecard list it once, with where it applies, and keep every finding in the full table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wa_audit.models.check import GLOBAL_REGION, Severity, Status
from wa_audit.models.finding import Finding

PLACES_NAMED = 3


@dataclass(frozen=True)
class GroupMessage:
    """One distinct message of a group, with the first finding that said it and how many did."""

    finding: Finding
    count: int

    @property
    def message(self) -> str:
        return self.finding.message


def _message_key(finding: Finding) -> str:
    """The message with its own region left out: "no rule in us-east-1" says what "no rule in
    eu-west-1" says, so a check failing the same way in 17 regions has one distinct message."""
    if finding.region == GLOBAL_REGION:
        return finding.message
    return finding.message.replace(finding.region, "\x00")


@dataclass(frozen=True)
class FindingGroup:
    """Findings sharing check, status and severity, in the order they came."""

    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def check_id(self) -> str:
        return self.first.check_id

    @property
    def status(self) -> Status:
        return self.first.status

    @property
    def severity(self) -> Severity:
        return self.first.severity

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.region for f in self.findings))

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def messages(self) -> list[GroupMessage]:
        """Each distinct message, region names aside (see :func:`distinct_messages`)."""
        return distinct_messages(self)

    @property
    def extent(self) -> str:
        """Where it applies: '17 regions', '4 resources in 2 regions', or '' for one finding."""
        if self.count == 1:
            return ""
        regions = self.regions
        if len(regions) == self.count:
            return f"{self.count} regions"
        if len(regions) == 1:
            return f"{self.count} resources"
        return f"{self.count} resources in {len(regions)} regions"

    @property
    def places(self) -> str:
        """The first few regions (or resources, within one region), then how many more."""
        regions = [r for r in self.regions if r != GLOBAL_REGION] or list(self.regions)
        many = len(regions) > 1
        names = regions if many else [f.resource for f in self.findings]
        shown = ", ".join(names[:PLACES_NAMED])
        rest = len(names) - PLACES_NAMED
        return f"{shown}, and {rest} more" if rest > 0 else shown


def distinct_messages(group: FindingGroup) -> list[GroupMessage]:
    """Each distinct message of ``group`` (its region aside), in the order first said."""
    firsts: dict[str, Finding] = {}
    counts: dict[str, int] = {}
    for finding in group.findings:
        key = _message_key(finding)
        firsts.setdefault(key, finding)
        counts[key] = counts.get(key, 0) + 1
    return [GroupMessage(firsts[key], counts[key]) for key in firsts]


def group_findings(findings: Iterable[Finding]) -> list[FindingGroup]:
    """Groups in the order of their first finding (callers sort the findings first)."""
    grouped: dict[tuple[str, Status, Severity], list[Finding]] = {}
    for finding in findings:
        grouped.setdefault((finding.check_id, finding.status, finding.severity), []).append(finding)
    return [FindingGroup(tuple(members)) for members in grouped.values()]
