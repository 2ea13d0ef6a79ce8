"""Lambda facts: account concurrency and code-storage limits, and every function's configuration."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class AccountSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    concurrent_executions: int
    unreserved_concurrent_executions: int
    total_code_size_limit: int
    total_code_size: int
    """Bytes of deployment packages and layers stored in the region."""
    function_count: int

    @property
    def reserved_concurrency(self) -> int:
        """Concurrency set aside by functions' reserved concurrency settings."""
        return self.concurrent_executions - self.unreserved_concurrent_executions


@fact("lambda.account_settings", regional=True, permissions=["lambda:GetAccountSettings"])
def account_settings(ctx: FetchContext) -> AccountSettings:
    response = ctx.client("lambda").get_account_settings()
    limit, usage = response["AccountLimit"], response["AccountUsage"]
    return AccountSettings(
        concurrent_executions=limit["ConcurrentExecutions"],
        unreserved_concurrent_executions=limit.get(
            "UnreservedConcurrentExecutions", limit["ConcurrentExecutions"]
        ),
        total_code_size_limit=limit["TotalCodeSize"],
        total_code_size=usage["TotalCodeSize"],
        function_count=usage["FunctionCount"],
    )


class LambdaFunction(BaseModel):
    """One function's $LATEST configuration, as ListFunctions returns it."""

    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    runtime: str | None
    """None for container images (PackageType Image): their runtime is inside the image."""
    package_type: str
    architectures: tuple[str, ...]
    tracing_mode: str | None
    dead_letter_target: str | None
    environment: dict[str, str]
    environment_error: str | None
    """Set when Lambda could not decrypt the variables for the caller: their values are unknown."""

    @property
    def arm64(self) -> bool:
        return "arm64" in self.architectures


def _function(raw: dict[str, Any]) -> LambdaFunction:
    environment = raw.get("Environment") or {}
    error = environment.get("Error")
    return LambdaFunction(
        name=raw["FunctionName"],
        arn=raw["FunctionArn"],
        runtime=raw.get("Runtime"),
        package_type=raw.get("PackageType", "Zip"),
        # The model lists x86_64 as the default when Architectures is absent.
        architectures=tuple(raw.get("Architectures") or ("x86_64",)),
        tracing_mode=(raw.get("TracingConfig") or {}).get("Mode"),
        dead_letter_target=(raw.get("DeadLetterConfig") or {}).get("TargetArn"),
        environment=dict(environment.get("Variables") or {}),
        environment_error=error.get("ErrorCode") if error else None,
    )


@fact("lambda.functions", regional=True, permissions=["lambda:ListFunctions"])
def functions(ctx: FetchContext) -> tuple[LambdaFunction, ...]:
    return tuple(_function(raw) for raw in ctx.paginate("lambda", "list_functions", "Functions"))


@fact(
    "lambda.failure_destinations",
    regional=True,
    permissions=["lambda:ListFunctionEventInvokeConfigs"],
    needs=(functions,),
)
def failure_destinations(ctx: FetchContext) -> dict[str, tuple[str, ...]]:
    """Function ARN → the on-failure destinations of its asynchronous-invocation configs (any
    version or alias). One call per function: Lambda has no account-wide listing of them."""
    found: dict[str, tuple[str, ...]] = {}
    for function in ctx.get(functions):
        configs = ctx.paginate(
            "lambda",
            "list_function_event_invoke_configs",
            "FunctionEventInvokeConfigs",
            FunctionName=function.arn,
        )
        found[function.arn] = tuple(
            destination
            for config in configs
            if (destination := _on_failure(config.get("DestinationConfig") or {}))
        )
    return found


def _on_failure(destination_config: dict[str, Any]) -> str | None:
    destination = (destination_config.get("OnFailure") or {}).get("Destination")
    return str(destination) if destination else None
