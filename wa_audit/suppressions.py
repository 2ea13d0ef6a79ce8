"""Suppressions: findings a team has accepted, which stop counting until their expiry date.

A suppressed finding stays in every output, marked with its reason; it only stops counting for the
exit code. An expired suppression is not applied any more, so what it hid fails again, and it adds a
WARN finding of the built-in check ``ops.suppression-expired``. A suppression whose check ran but
that matched nothing is reported as unused, so stale entries get cleaned up.

The expiry warning is a finding of a real :class:`CheckSpec` (listed in the Report's ``checks``
when it fires) rather than a bare finding, so every format renders it like any other check: a SARIF
rule with help text, a JUnit test case, a CSV row. It is not a registered ``@check``: it reads the
config, not AWS facts, and cannot be selected, skipped or suppressed itself.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from wa_audit.errors import ConfigError
from wa_audit.models import (
    GLOBAL_REGION,
    AppliedSuppression,
    CheckSpec,
    Finding,
    Pillar,
    Severity,
    Status,
    SuppressionOutcome,
    SuppressionRule,
    SuppressionState,
)
from wa_audit.text import agree, plural

SUPPRESSION_EXPIRED = CheckSpec(
    id="ops.suppression-expired",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Accepted risks are reviewed when their acceptance expires",
    fail_title="A suppression has expired: its accepted risk is due for review",
    severity=Severity.LOW,
    best_practices=("OPS01-BP06",),
    remediation=(
        "Fix what the suppression accepted, or renew it in the config file's [[suppressions]] "
        "with a current reason and a new expiry date; delete it if it no longer matches anything."
    ),
    docs_url=(
        "https://docs.aws.amazon.com/wellarchitected/latest/framework/"
        "ops_priorities_eval_tradeoffs.html"
    ),
    facts=(),
    regional=False,
)

# PASS and NOT_APPLICABLE need no acceptance; a suppression that only matches those is stale.
SUPPRESSIBLE = frozenset({Status.FAIL, Status.WARN, Status.ERROR})


@dataclass(frozen=True)
class SuppressionResult:
    findings: tuple[Finding, ...]
    outcomes: tuple[SuppressionOutcome, ...]
    checks: tuple[CheckSpec, ...]
    """Built-in checks whose findings were added (``SUPPRESSION_EXPIRED`` when one expired)."""


def validate_rules(rules: Sequence[SuppressionRule], known_ids: Iterable[str]) -> None:
    """An entry naming no known check is a typo that would silently suppress nothing: exit 2."""
    known = list(known_ids)
    for index, rule in enumerate(rules):
        if rule.check not in known:
            close = difflib.get_close_matches(rule.check, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"suppressions[{index}].check: unknown check id {rule.check!r}{hint}")


def apply_suppressions(
    findings: Sequence[Finding],
    rules: Sequence[SuppressionRule],
    *,
    today: date,
    checks_run: Collection[str],
) -> SuppressionResult:
    """Mark accepted findings, and account for every rule (active, unused, expired, not run).

    The first unexpired matching rule supplies the reason; every matching rule counts as used.
    """
    matched = [0] * len(rules)
    marked: list[Finding] = []
    for finding in findings:
        applied: SuppressionRule | None = None
        if finding.status in SUPPRESSIBLE:
            for index, rule in enumerate(rules):
                if rule.matches(finding):
                    matched[index] += 1
                    if applied is None and not rule.expired(today):
                        applied = rule
        if applied is not None:
            note = AppliedSuppression(reason=applied.reason, expires=applied.expires)
            finding = finding.model_copy(update={"suppression": note})
        marked.append(finding)

    outcomes = tuple(
        SuppressionOutcome(rule=rule, state=_state(rule, count, today, checks_run), matched=count)
        for rule, count in zip(rules, matched, strict=True)
    )
    warnings = [
        expiry_warning(outcome) for outcome in outcomes if outcome.state is SuppressionState.EXPIRED
    ]
    return SuppressionResult(
        findings=(*marked, *warnings),
        outcomes=outcomes,
        checks=(SUPPRESSION_EXPIRED,) if warnings else (),
    )


def _state(
    rule: SuppressionRule, matched: int, today: date, checks_run: Collection[str]
) -> SuppressionState:
    if rule.expired(today):
        return SuppressionState.EXPIRED
    if rule.check not in checks_run:
        return SuppressionState.NOT_RUN
    return SuppressionState.ACTIVE if matched else SuppressionState.UNUSED


def expiry_warning(outcome: SuppressionOutcome) -> Finding:
    """The WARN finding for an expired rule; its resource names the rule, stable across runs."""
    rule = outcome.rule
    where = rule.resource if rule.region == "*" else f"{rule.resource} in region {rule.region}"
    consequence = (
        f"the {plural(outcome.matched, 'finding')} it accepted {agree(outcome.matched, 'counts', 'count')} again"
        if outcome.matched
        else "it matches nothing now; delete it"
    )
    spec = SUPPRESSION_EXPIRED
    return Finding(
        check_id=spec.id,
        pillar=spec.pillar,
        severity=spec.severity,
        status=Status.WARN,
        region=GLOBAL_REGION,
        resource=f"suppression:{rule.check}:{rule.region}:{rule.resource}",
        message=(
            f"The suppression of {rule.check} on {where} expired on {rule.expires.isoformat()}: "
            f"{consequence}. Its reason was: {rule.reason}"
        ),
        best_practices=spec.best_practices,
        evidence={"suppression": rule.model_dump(mode="json"), "matched": outcome.matched},
    )
