"""Sustainability checks of serverless compute: Lambda functions on Graviton (arm64)."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._findings import problems_or_pass
from wa_audit.context import CheckContext
from wa_audit.facts.awslambda import functions
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree, every


@check(
    id="sus.lambda-graviton",
    pillar=Pillar.SUSTAINABILITY,
    title="Lambda functions run on Graviton (arm64)",
    fail_title="Lambda functions run on x86_64",
    severity=Severity.INFO,
    best_practices=["SUS05-BP02"],
    remediation=(
        "Switch the function's architecture to arm64 (rebuild native dependencies for it): "
        "Graviton functions use less energy and cost about 20% less per GB-second."
    ),
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html",
    facts=[functions],
    regional=True,
)
def lambda_graviton(ctx: CheckContext) -> Iterator[Finding]:
    """WARN per x86_64 function: most interpreted-runtime functions move by changing one setting,
    but native dependencies may need a rebuild, so it is advice rather than a failure."""
    all_functions = ctx.fact(functions)
    problems = [
        ctx.warned(
            function.arn,
            f"Function {function.name} runs on x86_64; arm64 (Graviton) would do the same work "
            "with less energy.",
            evidence={"architectures": list(function.architectures), "runtime": function.runtime},
        )
        for function in all_functions
        if not function.arm64
    ]
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(all_functions),
        passed=f"{every(len(all_functions), 'function')} {agree(len(all_functions), 'runs', 'run')} on arm64 (Graviton).",
        nothing="No Lambda functions in this region.",
    )
