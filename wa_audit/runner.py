"""One audit: resolve regions, plan and fetch facts, run checks, assemble the Report."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from wa_audit import __version__
from wa_audit.aws import AwsSession
from wa_audit.config import describe_validation_error
from wa_audit.context import CheckContext
from wa_audit.errors import ConfigError, UsageError
from wa_audit.exitcodes import decide_exit_code
from wa_audit.facts.base import Fact
from wa_audit.facts.regions import account_regions
from wa_audit.facts.store import FactStore, FactUnavailable
from wa_audit.models import GLOBAL_REGION, AuditError, Finding, RegionNote, Report, Severity, Status
from wa_audit.registry import Check
from wa_audit.sections import ReportSection, SectionContext, builtin_sections

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class RunOptions:
    regions: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.HIGH
    workers: int = 8
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class RegionScope:
    audited: tuple[str, ...]
    skipped: tuple[RegionNote, ...]


def utc_now() -> datetime:
    return datetime.now(UTC)


def resolve_params(
    checks: Sequence[Check], known_ids: Iterable[str], configured: Mapping[str, Mapping[str, Any]]
) -> dict[str, BaseModel | None]:
    """Validate each check's configured parameters against the model it declares."""
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
        try:
            resolved[check.id] = check.params.model_validate(raw)
        except ValidationError as error:
            raise ConfigError(describe_validation_error(error, f'params."{check.id}"')) from error
    return resolved


def resolve_regions(store: FactStore, requested: Sequence[str], fallback: str) -> RegionScope:
    """The enabled regions, narrowed to ``requested``; disabled ones are skipped with a note."""
    try:
        known = {r.name: r for r in store.get(account_regions, fallback)}
    except FactUnavailable as error:
        audited = tuple(requested) or (fallback,)
        note = RegionNote(region="*", reason=f"cannot list regions ({error.failure.reason})")
        return RegionScope(audited=audited, skipped=(note,))
    if not requested:
        enabled = tuple(name for name, region in known.items() if region.enabled)
        disabled = tuple(
            RegionNote(region=name, reason="opt-in region not enabled")
            for name, region in known.items()
            if not region.enabled
        )
        return RegionScope(audited=enabled, skipped=disabled)
    for name in requested:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"unknown region {name!r}{hint}")
    audited = tuple(dict.fromkeys(name for name in requested if known[name].enabled))
    skipped = tuple(
        RegionNote(region=name, reason="opt-in region not enabled for this account")
        for name in dict.fromkeys(requested)
        if not known[name].enabled
    )
    return RegionScope(audited=audited, skipped=skipped)


def sections_for(checks: Sequence[Check]) -> list[ReportSection]:
    """The report sections of the pillars the selected checks belong to."""
    pillars = {c.spec.pillar for c in checks}
    return [section for section in builtin_sections() if section.pillar in pillars]


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


def run_check(check: Check, ctx: CheckContext) -> list[Finding]:
    """The check's findings, or one ERROR finding naming the fact it could not read."""
    try:
        findings = list(check.run(ctx))
    except FactUnavailable as missing:
        resource = (
            ctx.account_arn if ctx.region == GLOBAL_REGION else f"{ctx.account_id}/{ctx.region}"
        )
        reason = f"Not assessed: {missing.fact_name} unavailable ({missing.failure.reason})."
        evidence = {
            "fact": missing.fact_name,
            "missing_permission": missing.failure.missing_permission,
        }
        return [ctx.finding(Status.ERROR, resource, reason, evidence=evidence)]
    if not findings:
        resource = (
            ctx.account_arn if ctx.region == GLOBAL_REGION else f"{ctx.account_id}/{ctx.region}"
        )
        return [ctx.not_applicable(resource, "Nothing to assess: no matching resources.")]
    return findings


def run_audit(
    session: AwsSession,
    checks: Sequence[Check],
    options: RunOptions,
    *,
    known_check_ids: Iterable[str] = (),
    on_progress: ProgressCallback | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Report:
    started = clock()
    params = resolve_params(checks, [*known_check_ids, *(c.id for c in checks)], options.params)
    identity = session.identity()
    store = FactStore(session, identity, now=started)
    scope = resolve_regions(store, options.regions, session.default_region or identity.home_region)
    sections = sections_for(checks)
    plan = plan_facts([*checks, *sections], scope.audited)
    store.prefetch(plan, options.workers, on_progress)

    findings: list[Finding] = []
    for check in checks:
        for region in scope.audited if check.spec.regional else (GLOBAL_REGION,):
            ctx = CheckContext(
                check,
                store,
                region=region,
                regions=scope.audited,
                now=started,
                params=params[check.id],
            )
            findings.extend(run_check(check, ctx))

    errors = _audit_errors(store, checks)
    built = build_sections(sections, SectionContext(store, scope.audited))
    return Report(
        tool_version=__version__,
        account_id=identity.account_id,
        partition=identity.partition,
        regions=scope.audited,
        skipped_regions=scope.skipped,
        started_at=started,
        finished_at=clock(),
        checks=tuple(c.spec for c in checks),
        findings=tuple(findings),
        errors=errors,
        api_calls=session.calls.by_action(),
        fail_on=options.fail_on,
        exit_code=decide_exit_code(findings, options.fail_on),
        **built,
    )


def _audit_errors(store: FactStore, checks: Sequence[Check]) -> tuple[AuditError, ...]:
    errors = []
    for fact_name, region, failure in store.failures():
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
