"""Per-resource readings several checks share: a resource whose setting could not be read is
ERROR on its own, the others are judged (not a check module: no entry point)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from wa_audit.context import CheckContext
from wa_audit.facts.per_resource import Unreadable
from wa_audit.models import Finding, Status

T = TypeVar("T")


def unreadable(
    ctx: CheckContext,
    found: Mapping[str, T | Unreadable],
    arn: Callable[[str], str],
    what: str,
) -> Iterator[Finding]:
    """One ERROR per resource whose ``what`` could not be read, naming the action to grant."""
    for name, got in sorted(found.items()):
        if isinstance(got, Unreadable):
            evidence = {"reason": got.reason}
            if got.missing_permission:
                evidence["missing_permission"] = got.missing_permission
            message = f"Not assessed: {what} of {name} unreadable ({got.reason})."
            yield ctx.finding(Status.ERROR, arn(name), message, evidence=evidence)


def readable(found: Mapping[str, T | Unreadable]) -> dict[str, T]:
    return {name: got for name, got in found.items() if not isinstance(got, Unreadable)}


def bucket_arn(ctx: CheckContext, name: str) -> str:
    return f"arn:{ctx.partition}:s3:::{name}"
