"""One audit: resolve regions, plan and fetch facts, run checks, assemble the Report.

Once the caller is identified the audit has started, and from then on losing the credentials
(they expire mid-run, say) no longer loses the run: what was fetched is checked, what was not is
reported as not assessed, and the Report says why it stopped (``aborted``) with exit code 4.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from wa_audit import __version__
from wa_audit.answers import Answer
from wa_audit.aws import AwsSession
from wa_audit.baseline import Baseline, compare_with_baseline
from wa_audit.config import check_params
from wa_audit.context import CheckContext
from wa_audit.defaults import DEFAULT_FAIL_ON, DEFAULT_WORKERS
from wa_audit.errors import CannotAuditError, ConfigError, UsageError
from wa_audit.exitcodes import ExitCode, decide_exit_code
from wa_audit.facts.base import Fact
from wa_audit.facts.iam import account_aliases
from wa_audit.facts.organizations import organization
from wa_audit.facts.store import Deadline, FactStore, FactUnavailable
from wa_audit.framework import load_framework
from wa_audit.models import (
    GLOBAL_REGION,
    AuditError,
    Finding,
    OrganizationPlace,
    RegionNote,
    Report,
    Severity,
    Status,
    SuppressionRule,
)
from wa_audit.quotas.section import QUOTAS_SECTION
from wa_audit.quotas.thresholds import configured_thresholds
from wa_audit.region_blocks import blocked_regions
from wa_audit.region_scope import RegionScope, resolve_regions
from wa_audit.registry import Check
from wa_audit.scoring import DEFAULT_ANSWER_MAX_AGE, score
from wa_audit.sections import ReportSection, SectionContext
from wa_audit.spend import SPEND_SECTION
from wa_audit.suppressions import apply_suppressions, validate_rules

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class RunOptions:
    regions: tuple[str, ...] = ()
    fail_on: Severity | None = DEFAULT_FAIL_ON
    workers: int = DEFAULT_WORKERS
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    answers: Mapping[str, Answer] = field(default_factory=dict)
    answer_max_age: timedelta = DEFAULT_ANSWER_MAX_AGE
    suppressions: tuple[SuppressionRule, ...] = ()
    baseline: Baseline | None = None
    fail_on_new: bool = False
    timeout: float | None = None
    """Seconds the whole run may take; facts not fetched by then are ERROR (None: no limit)."""


@dataclass(frozen=True)
class Gathered:
    """What the audit produced before any suppression or baseline is applied."""

    scope: RegionScope
    findings: tuple[Finding, ...]
    stopped: CannotAuditError | None


def utc_now() -> datetime:
    return datetime.now(UTC)


def resolve_params(
    checks: Sequence[Check], known_ids: Iterable[str], configured: Mapping[str, Mapping[str, Any]]
) -> dict[str, BaseModel | None]:
    """Validate each selected check's configured parameters against the model it declares."""
    known = list(known_ids)
    for check_id in configured:
        if check_id not in known:
            close = difflib.get_close_matches(check_id, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"params: unknown check id {check_id!r}{hint}")
    resolved: dict[str, BaseModel | None] = {}
    for check in checks:
        raw = dict(configured.get(check.id, {}))
        if check.params is None:
            if raw:
                raise ConfigError(f"params: check {check.id!r} takes no parameters")
            resolved[check.id] = None
            continue
        resolved[check.id] = check_params(check.params, check.id, raw)
    return resolved


BUILTIN_SECTIONS: tuple[ReportSection, ...] = (SPEND_SECTION, QUOTAS_SECTION)
"""The engine's own report sections, each shown when a selected check is of its pillar."""


def sections_for(checks: Sequence[Check]) -> list[ReportSection]:
    """The report sections of the pillars the selected checks belong to."""
    pillars = {c.spec.pillar for c in checks}
    return [section for section in BUILTIN_SECTIONS if section.pillar in pillars]


def build_sections(sections: Sequence[ReportSection], ctx: SectionContext) -> dict[str, Any]:
    built: dict[str, Any] = {}
    for section in sections:
        try:
            built[section.field] = section.build(ctx)
        except FactUnavailable:
            continue  # the failure is already in report.errors; the section stays empty
    return built


def plan_facts(
    readers: Iterable[Check | ReportSection], regions: Sequence[str]
) -> list[tuple[Fact[Any], str]]:
    """Every (fact, region) the checks will read: regional facts in every audited region."""
    plan: list[tuple[Fact[Any], str]] = []
    for reader in readers:
        for fact_ in reader.facts:
            plan.extend((fact_, region) for region in (regions if fact_.regional else regions[:1]))
    return plan


def scope_resource(ctx: CheckContext) -> str:
    """The resource of a finding about the whole account (or the whole region)."""
    return ctx.account_arn if ctx.region == GLOBAL_REGION else f"{ctx.account_id}/{ctx.region}"


def without_blocked_regions(
    scope: RegionScope, plan: Sequence[tuple[Fact[Any], str]], store: FactStore
) -> RegionScope:
    """The scope less the regions a service control policy blocks, each noted once as skipped."""
    blocked = blocked_regions(plan, store.failures(), scope.audited)
    if not blocked:
        return scope
    names = {note.region for note in blocked}
    audited = tuple(region for region in scope.audited if region not in names)
    return RegionScope(audited=audited, skipped=(*scope.skipped, *blocked))


def run_check(check: Check, ctx: CheckContext) -> list[Finding]:
    """The check's findings, or one ERROR finding naming the fact it could not read."""
    try:
        findings = list(check.run(ctx))
    except FactUnavailable as missing:
        reason = f"Not assessed: {missing.fact_name} unavailable ({missing.failure.reason})."
        evidence = {
            "fact": missing.fact_name,
            "missing_permission": missing.failure.missing_permission,
        }
        return [ctx.finding(Status.ERROR, scope_resource(ctx), reason, evidence=evidence)]
    if not findings:
        message = "Nothing to assess: no matching resources."
        return [ctx.not_applicable(scope_resource(ctx), message)]
    return findings


def gather(
    store: FactStore,
    checks: Sequence[Check],
    options: RunOptions,
    params: Mapping[str, BaseModel | None],
    started: datetime,
    on_progress: ProgressCallback | None,
) -> Gathered:
    """Regions, facts and every check's findings; a lost credential stops fetching, not checking."""
    stopped: CannotAuditError | None = None
    fallback = store.session.default_region or store.identity.home_region
    try:
        scope = resolve_regions(store, options.regions, fallback)
    except CannotAuditError as error:
        stopped = error
        scope = RegionScope(audited=(), skipped=(RegionNote(region="*", reason=str(error)),))
    if stopped is None:
        plan = plan_facts([*checks, *sections_for(checks)], scope.audited)
        plan.append((account_aliases, store.identity.home_region))
        stopped = store.prefetch(plan, options.workers, on_progress)
        scope = without_blocked_regions(scope, plan, store)

    findings: list[Finding] = []
    for check in checks:
        for region in scope.audited if check.spec.regional else (GLOBAL_REGION,):
            ctx = CheckContext(
                check.spec,
                store,
                region=region,
                regions=scope.audited,
                now=started,
                params=params[check.id],
            )
            try:
                findings.extend(run_check(check, ctx))
            except CannotAuditError as error:  # a fact outside the plan, read after expiry
                stopped = stopped or error
                message = f"Not assessed: the audit stopped ({error})."
                findings.append(ctx.finding(Status.ERROR, scope_resource(ctx), message))
    return Gathered(scope=scope, findings=tuple(findings), stopped=stopped)


def run_audit(
    session: AwsSession,
    checks: Sequence[Check],
    options: RunOptions,
    *,
    known_check_ids: Iterable[str] = (),
    on_progress: ProgressCallback | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Report:
    """Audit, then apply suppressions and the baseline, and decide the exit code.

    Usage errors (bad parameters, suppressions or baseline) are raised before any AWS call; a lost
    credential before the caller is identified raises ``CannotAuditError``; after that, the Report
    comes back partial with ``aborted`` set and exit code 4.
    """
    started = clock()
    deadline = Deadline.after(options.timeout) if options.timeout is not None else None
    known_ids = [*known_check_ids, *(c.id for c in checks)]
    params = resolve_params(checks, known_ids, options.params)
    quota_levels = configured_thresholds(options.params)
    validate_rules(options.suppressions, known_ids)
    if options.fail_on_new and options.baseline is None:
        raise UsageError(
            "--fail-on-new needs --baseline (results.json of an earlier run); "
            "run once without it to make the first baseline"
        )
    identity = session.identity()
    baseline = options.baseline
    if baseline is not None and baseline.report.account_id != identity.account_id:
        raise UsageError(
            f"the baseline {baseline.source} is of account {baseline.report.account_id}, "
            f"not {identity.account_id}"
        )
    store = FactStore(session, identity, now=started, deadline=deadline)
    gathered = gather(store, checks, options, params, started, on_progress)

    check_ids = {c.id for c in checks}
    suppressed = apply_suppressions(
        gathered.findings, options.suppressions, today=started.date(), checks_run=check_ids
    )
    findings = suppressed.findings
    baseline_info = None
    if baseline is not None:
        findings, baseline_info = compare_with_baseline(
            findings,
            baseline,
            checks_run=check_ids | {spec.id for spec in suppressed.checks},
            regions=gathered.scope.audited,
        )
    if gathered.stopped is not None:
        exit_code = ExitCode.CANNOT_AUDIT
    else:
        exit_code = decide_exit_code(findings, options.fail_on, only_new=options.fail_on_new)
    sections = build_sections(
        sections_for(checks), SectionContext(store, gathered.scope.audited, quota_levels)
    )
    questions, scores = score(
        load_framework(),
        [c.spec for c in checks],
        findings,
        options.answers,
        started.date(),
        options.answer_max_age,
    )
    return Report(
        tool_version=__version__,
        account_id=identity.account_id,
        account_alias=account_alias(store),
        organization=organization_place(store, checks),
        partition=identity.partition,
        regions=gathered.scope.audited,
        skipped_regions=gathered.scope.skipped,
        started_at=started,
        finished_at=clock(),
        checks=(*(c.spec for c in checks), *suppressed.checks),
        findings=findings,
        errors=_audit_errors(store, checks, gathered.scope.skipped),
        api_calls=session.calls.by_action(),
        fail_on=options.fail_on,
        fail_on_new=options.fail_on_new,
        suppressions=suppressed.outcomes,
        baseline=baseline_info,
        aborted=str(gathered.stopped) if gathered.stopped is not None else None,
        exit_code=exit_code,
        questions=questions,
        scores=scores,
        **sections,
    )


def account_alias(store: FactStore) -> str | None:
    """The alias for the report header; an account without one (or a denied read) shows its id."""
    try:
        aliases = store.get(account_aliases, store.identity.home_region)
    except FactUnavailable:
        return None
    return aliases[0] if aliases else None


def organization_place(store: FactStore, checks: Sequence[Check]) -> OrganizationPlace | None:
    """The account's organization, when a selected check read it (no call made for it alone)."""
    if not any(organization.name in check.spec.facts for check in checks):
        return None
    try:
        membership = store.get(organization, store.identity.home_region)
    except FactUnavailable:
        return None
    if membership.organization_id is None or membership.management_account_id is None:
        return None
    return OrganizationPlace(
        organization_id=membership.organization_id,
        management_account_id=membership.management_account_id,
    )


def _audit_errors(
    store: FactStore, checks: Sequence[Check], skipped: Sequence[RegionNote] = ()
) -> tuple[AuditError, ...]:
    """Each failed fetch, except in regions left out (their note says why once)."""
    left_out = {note.region for note in skipped}
    errors = []
    for fact_name, region, failure in store.failures():
        if region in left_out:
            continue
        affected = tuple(c.id for c in checks if fact_name in c.spec.facts)
        errors.append(
            AuditError(
                fact=fact_name,
                region=region,
                reason=failure.reason,
                missing_permission=failure.missing_permission,
                checks=affected,
            )
        )
    return tuple(errors)
