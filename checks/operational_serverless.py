"""Operational checks of serverless workloads: requests traced end to end, API stages logged."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._findings import problems_or_pass
from wa_audit.context import CheckContext
from wa_audit.facts import apigateway, awslambda
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree, every, plural

ACTIVE = "Active"
EXECUTION_LOGGING = frozenset({"ERROR", "INFO"})


@check(
    id="ops.tracing",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Lambda functions and API Gateway REST stages trace requests with X-Ray",
    fail_title="Lambda functions or API Gateway REST stages do not trace requests",
    severity=Severity.LOW,
    best_practices=["OPS04-BP05", "OPS08-BP03", "REL06-BP07"],
    remediation=(
        "Turn on X-Ray active tracing (Lambda: TracingConfig Mode=Active; REST API stage: "
        "tracingEnabled) so a request can be followed across services."
    ),
    docs_url="https://docs.aws.amazon.com/xray/latest/devguide/xray-services.html",
    facts=[awslambda.functions, apigateway.rest_stages],
    regional=True,
)
def tracing(ctx: CheckContext) -> Iterator[Finding]:
    """HTTP and WebSocket APIs cannot send traces to X-Ray, so only REST stages are judged."""
    all_functions = ctx.fact(awslambda.functions)
    stages = ctx.fact(apigateway.rest_stages)
    problems = [
        ctx.failed(
            function.arn,
            f"Function {function.name} does not use X-Ray active tracing "
            f"(mode {function.tracing_mode or 'not set'}).",
            evidence={"tracing_mode": function.tracing_mode},
        )
        for function in all_functions
        if function.tracing_mode != ACTIVE
    ] + [
        ctx.failed(
            stage.arn,
            f"REST API {stage.label} has X-Ray tracing off.",
            evidence={"tracing_enabled": False},
        )
        for stage in stages
        if not stage.tracing_enabled
    ]
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(all_functions) + len(stages),
        passed=f"{plural(len(all_functions), 'function')} and {plural(len(stages), 'REST stage')}: all trace "
        "requests with X-Ray.",
        nothing="No Lambda functions or REST API stages in this region.",
    )


@check(
    id="ops.apigw-logging",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="API Gateway stages log requests",
    fail_title="API Gateway stages do not log requests",
    severity=Severity.MEDIUM,
    best_practices=["OPS08-BP02", "SEC04-BP01"],
    remediation=(
        "Turn on access logging to a CloudWatch Logs group or Firehose stream on the stage "
        "(and, for REST and WebSocket APIs, execution logging at ERROR or INFO)."
    ),
    docs_url="https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
    facts=[apigateway.rest_stages, apigateway.v2_stages],
    regional=True,
)
def apigw_logging(ctx: CheckContext) -> Iterator[Finding]:
    """A stage passes with access logging, or with execution logging where the API type has it
    (REST, WebSocket); HTTP APIs only have access logs."""
    stages = ctx.fact(apigateway.rest_stages) + ctx.fact(apigateway.v2_stages)
    problems = [
        ctx.failed(
            stage.arn,
            f"{stage.protocol} API {stage.label} writes neither access logs nor execution logs: "
            "who called it and what failed is not recorded.",
            evidence={
                "access_log_destination": None,
                "execution_logging": stage.default_settings.logging_level,
            },
        )
        for stage in stages
        if not stage.access_log_destination
        and stage.default_settings.logging_level not in EXECUTION_LOGGING
    ]
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(stages),
        passed=f"{every(len(stages), 'API stage')} {agree(len(stages), 'logs', 'log')} requests.",
        nothing="No API Gateway stages in this region.",
    )
