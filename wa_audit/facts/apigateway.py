"""API Gateway facts: the stages of REST APIs (v1) and of HTTP/WebSocket APIs (v2), and usage plans.

Stages are listed per API (GetStages takes one API id; there is no account-wide listing).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

ALL_METHODS = "*/*"
"""The method-settings key of a REST stage's defaults (what the console calls stage settings)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class MethodSetting(_Model):
    logging_level: str | None = None
    """OFF, ERROR or INFO: execution logging to CloudWatch Logs."""
    throttling_rate_limit: float | None = None
    throttling_burst_limit: int | None = None


class ApiStage(_Model):
    """A deployed stage of a REST, HTTP or WebSocket API."""

    arn: str
    api_id: str
    api_name: str
    protocol: str
    """REST, HTTP or WEBSOCKET."""
    name: str
    access_log_destination: str | None
    tracing_enabled: bool
    """X-Ray active tracing; HTTP and WebSocket APIs do not support it (always False)."""
    default_settings: MethodSetting
    """The stage-wide defaults: REST ``*/*`` method settings, v2 DefaultRouteSettings."""

    @property
    def label(self) -> str:
        return f"{self.api_name} ({self.api_id}) stage {self.name}"


class UsagePlan(_Model):
    id: str
    name: str
    stages: tuple[tuple[str, str], ...]
    """(REST API id, stage name) pairs the plan applies to."""
    throttling_rate_limit: float | None


def _rest_setting(raw: dict[str, Any]) -> MethodSetting:
    return MethodSetting(
        logging_level=raw.get("loggingLevel"),
        throttling_rate_limit=raw.get("throttlingRateLimit"),
        throttling_burst_limit=raw.get("throttlingBurstLimit"),
    )


@fact(
    "apigateway.rest_stages",
    regional=True,
    permissions=["apigateway:GET"],
)
def rest_stages(ctx: FetchContext) -> tuple[ApiStage, ...]:
    """GetRestApis, then GetStages per API (not paginated: the model gives it no token)."""
    client = ctx.client("apigateway")
    found = []
    for api in ctx.paginate("apigateway", "get_rest_apis", "items"):
        for raw in client.get_stages(restApiId=api["id"]).get("item") or ():
            found.append(
                ApiStage(
                    arn=f"arn:{ctx.partition}:apigateway:{ctx.region}::/restapis/{api['id']}"
                    f"/stages/{raw['stageName']}",
                    api_id=api["id"],
                    api_name=api.get("name", ""),
                    protocol="REST",
                    name=raw["stageName"],
                    access_log_destination=(raw.get("accessLogSettings") or {}).get(
                        "destinationArn"
                    ),
                    tracing_enabled=bool(raw.get("tracingEnabled")),
                    default_settings=_rest_setting(
                        (raw.get("methodSettings") or {}).get(ALL_METHODS) or {}
                    ),
                )
            )
    return tuple(found)


@fact("apigateway.usage_plans", regional=True, permissions=["apigateway:GET"])
def usage_plans(ctx: FetchContext) -> tuple[UsagePlan, ...]:
    return tuple(
        UsagePlan(
            id=raw["id"],
            name=raw.get("name", ""),
            stages=tuple((s["apiId"], s["stage"]) for s in raw.get("apiStages") or ()),
            throttling_rate_limit=(raw.get("throttle") or {}).get("rateLimit"),
        )
        for raw in ctx.paginate("apigateway", "get_usage_plans", "items")
    )


@fact("apigatewayv2.stages", regional=True, permissions=["apigateway:GET"])
def v2_stages(ctx: FetchContext) -> tuple[ApiStage, ...]:
    """GetApis, then GetStages per API: HTTP and WebSocket APIs."""
    found = []
    for api in ctx.paginate("apigatewayv2", "get_apis", "Items"):
        api_id = api["ApiId"]
        for raw in ctx.paginate("apigatewayv2", "get_stages", "Items", ApiId=api_id):
            defaults = raw.get("DefaultRouteSettings") or {}
            found.append(
                ApiStage(
                    arn=f"arn:{ctx.partition}:apigateway:{ctx.region}::/apis/{api_id}"
                    f"/stages/{raw['StageName']}",
                    api_id=api_id,
                    api_name=api.get("Name", ""),
                    protocol=api.get("ProtocolType", "HTTP"),
                    name=raw["StageName"],
                    access_log_destination=(raw.get("AccessLogSettings") or {}).get(
                        "DestinationArn"
                    ),
                    tracing_enabled=False,
                    default_settings=MethodSetting(
                        logging_level=defaults.get("LoggingLevel"),
                        throttling_rate_limit=defaults.get("ThrottlingRateLimit"),
                        throttling_burst_limit=defaults.get("ThrottlingBurstLimit"),
                    ),
                )
            )
    return tuple(found)
