"""Reliability checks of serverless entry points: failed events kept, API request rates bounded."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._findings import problems_or_pass
from wa_audit.context import CheckContext
from wa_audit.facts import apigateway, awslambda
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree, every


@check(
    id="rel.lambda-failure-destination",
    pillar=Pillar.RELIABILITY,
    title="Lambda functions keep the events they fail to process",
    fail_title="Lambda functions drop the events they fail to process",
    severity=Severity.MEDIUM,
    best_practices=["REL05-BP01"],
    remediation=(
        "Give the function an on-failure destination (SQS, SNS, EventBridge, S3 or another "
        "function) or a dead-letter queue, so events that fail every retry can be inspected and "
        "replayed instead of being discarded."
    ),
    docs_url="https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
    facts=[awslambda.functions, awslambda.failure_destinations],
    regional=True,
)
def lambda_failure_destination(ctx: CheckContext) -> Iterator[Finding]:
    """WARN, not FAIL: both settings only apply to asynchronous invocations, and Lambda does not
    say how a function is invoked (a synchronously called function needs neither)."""
    destinations = ctx.fact(awslambda.failure_destinations)
    all_functions = ctx.fact(awslambda.functions)
    problems = [
        ctx.warned(
            function.arn,
            f"Function {function.name} has neither a dead-letter queue nor an on-failure "
            "destination: an asynchronous event that fails all retries is discarded.",
            evidence={"dead_letter_target": None, "on_failure_destinations": []},
        )
        for function in all_functions
        if not function.dead_letter_target and not destinations.get(function.arn)
    ]
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(all_functions),
        passed=f"{every(len(all_functions), 'function')} {agree(len(all_functions), 'has', 'have')} a dead-letter queue or an on-failure "
        "destination.",
        nothing="No Lambda functions in this region.",
    )


@check(
    id="rel.apigw-throttling",
    pillar=Pillar.RELIABILITY,
    title="API Gateway stages throttle requests",
    fail_title="API Gateway stages do not throttle requests",
    severity=Severity.MEDIUM,
    best_practices=["REL05-BP02", "COST09-BP02", "SUS02-BP06"],
    remediation=(
        "Set a default rate and burst limit on the stage (REST: stage settings or a usage plan; "
        "HTTP/WebSocket: default route throttling) sized to what the backend can serve."
    ),
    docs_url="https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html",
    facts=[apigateway.rest_stages, apigateway.v2_stages, apigateway.usage_plans],
    regional=True,
)
def apigw_throttling(ctx: CheckContext) -> Iterator[Finding]:
    """Without a stage limit only the account's regional limit applies, shared by every API, so
    one client or one API's spike can take all of it and overload the backend."""
    planned = {
        stage
        for plan in ctx.fact(apigateway.usage_plans)
        if plan.throttling_rate_limit is not None
        for stage in plan.stages
    }
    stages = ctx.fact(apigateway.rest_stages) + ctx.fact(apigateway.v2_stages)
    problems = [
        ctx.failed(
            stage.arn,
            f"{stage.protocol} API {stage.label} sets no throttling limit: only the account-wide "
            "limit of the region bounds its request rate.",
            evidence={"protocol": stage.protocol, "api_id": stage.api_id},
        )
        for stage in stages
        if stage.default_settings.throttling_rate_limit is None
        and (stage.api_id, stage.name) not in planned
    ]
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(stages),
        passed=f"{every(len(stages), 'API stage')} {agree(len(stages), 'sets', 'set')} a throttling limit.",
        nothing="No API Gateway stages in this region.",
    )
