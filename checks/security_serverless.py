"""Security checks of serverless code: secrets kept out of Lambda environment variables."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._findings import problems_or_pass
from wa_audit.checks._secrets import secret_looking_names
from wa_audit.context import CheckContext
from wa_audit.facts.awslambda import functions
from wa_audit.models import Finding, Pillar, Severity, Status
from wa_audit.registry import check
from wa_audit.text import noun, plural


@check(
    id="sec.lambda-plaintext-secrets",
    pillar=Pillar.SECURITY,
    title="Lambda functions keep secrets out of environment variables",
    fail_title="Lambda functions hold secrets in environment variables",
    severity=Severity.HIGH,
    best_practices=["SEC02-BP03"],
    remediation=(
        "Store the secret in Secrets Manager (or an SSM SecureString parameter), pass its name or "
        "ARN in the variable, and read it at run time (the Parameters and Secrets Lambda "
        "extension caches it); then rotate the exposed value."
    ),
    docs_url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
    facts=[functions],
    regional=True,
)
def lambda_plaintext_secrets(ctx: CheckContext) -> Iterator[Finding]:
    """Anyone with lambda:GetFunctionConfiguration reads these values in clear; the finding names
    the variables, never their values."""
    problems: list[Finding] = []
    all_functions = ctx.fact(functions)
    for function in all_functions:
        if function.environment_error:
            problems.append(
                ctx.finding(
                    Status.ERROR,
                    function.arn,
                    f"The environment variables of function {function.name} could not be read "
                    f"({function.environment_error}).",
                    evidence={"error_code": function.environment_error},
                )
            )
            continue
        names = secret_looking_names(function.environment)
        if names:
            problems.append(
                ctx.failed(
                    function.arn,
                    f"Function {function.name} has secret-looking values in plain text in "
                    f"{noun(len(names), 'environment variable')} {', '.join(names)}.",
                    evidence={"variables": names},
                )
            )
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(all_functions),
        passed=f"None of the {plural(len(all_functions), 'function')} holds a secret-looking value in "
        "its environment variables.",
        nothing="No Lambda functions in this region.",
    )
