"""Performance checks of serverless compute: Lambda functions on runtimes Lambda still supports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.checks._findings import problems_or_pass
from wa_audit.checks._lambda_runtimes import deprecation_dates
from wa_audit.context import CheckContext
from wa_audit.facts.awslambda import functions
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree, every


class LambdaRuntimeParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    warn_days: int = Field(default=180, ge=0, le=730)
    """WARN this many days before a runtime's deprecation date."""


@check(
    id="perf.lambda-runtime",
    pillar=Pillar.PERFORMANCE,
    title="Lambda functions run on supported runtimes",
    fail_title="Lambda functions run on deprecated runtimes",
    severity=Severity.MEDIUM,
    best_practices=["SEC06-BP01", "OPS05-BP05", "PERF05-BP06", "SUS06-BP03"],
    remediation=(
        "Move the function to the runtime's newest version (e.g. python3.13, nodejs22.x) and test "
        "it: deprecated runtimes get no security patches, and Lambda later blocks updating them."
    ),
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
    facts=[functions],
    regional=True,
    params=LambdaRuntimeParams,
)
def lambda_runtime(ctx: CheckContext) -> Iterator[Finding]:
    """Per .zip function; container images carry their runtime inside the image and are skipped."""
    params = ctx.params(LambdaRuntimeParams)
    dates = deprecation_dates()
    today = ctx.now.date()
    problems: list[Finding] = []
    assessed = 0
    for function in ctx.fact(functions):
        if function.runtime is None:
            continue
        assessed += 1
        deprecated = dates.get(function.runtime)
        if deprecated is None:
            continue
        evidence = {"runtime": function.runtime, "deprecation_date": deprecated.isoformat()}
        if deprecated <= today:
            problems.append(
                ctx.failed(
                    function.arn,
                    f"Function {function.name} runs on {function.runtime}, deprecated since "
                    f"{deprecated:%Y-%m-%d}: it no longer gets security patches.",
                    evidence=evidence,
                )
            )
        elif deprecated - today <= timedelta(days=params.warn_days):
            problems.append(
                ctx.warned(
                    function.arn,
                    f"Function {function.name} runs on {function.runtime}, which Lambda "
                    f"deprecates on {deprecated:%Y-%m-%d}.",
                    evidence=evidence,
                )
            )
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=assessed,
        passed=f"{every(assessed, 'function')} {agree(assessed, 'runs', 'run')} on runtimes Lambda supports beyond "
        f"{params.warn_days} days.",
        nothing="No Lambda functions with a Lambda-managed runtime in this region.",
    )
