"""Shapes of findings several checks share: per-resource problems, or one region-wide verdict."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from wa_audit.context import CheckContext
from wa_audit.models import Finding


def region_resource(ctx: CheckContext) -> str:
    """The resource of a finding about a whole region: ``<account>/<region>``."""
    return f"{ctx.account_id}/{ctx.region}"


def regional_arn(ctx: CheckContext, service: str, resource: str) -> str:
    """``arn:<partition>:<service>:<region>:<account>:<resource>`` in the check's region."""
    return f"arn:{ctx.partition}:{service}:{ctx.region}:{ctx.account_id}:{resource}"


def problems_or_pass(
    ctx: CheckContext,
    problems: Sequence[Finding],
    *,
    assessed: int,
    passed: str,
    nothing: str,
    evidence: Mapping[str, Any] | None = None,
) -> Iterator[Finding]:
    """The problems found; else one PASS for the region (``assessed`` resources looked at), or
    NOT_APPLICABLE when there was nothing to look at."""
    if problems:
        yield from problems
    elif assessed:
        yield ctx.passed(region_resource(ctx), passed, evidence=evidence)
    else:
        yield ctx.not_applicable(region_resource(ctx), nothing, evidence=evidence)


def verdict(
    ctx: CheckContext,
    resource: str,
    ok: bool,
    passed: str,
    failed: str,
    evidence: Mapping[str, Any],
    **kwargs: Any,
) -> Finding:
    """PASS or FAIL for one resource, with the same evidence either way."""
    if ok:
        return ctx.passed(resource, passed, evidence=evidence, **kwargs)
    return ctx.failed(resource, failed, evidence=evidence, **kwargs)
