"""ECS facts: clusters with their settings, services, and the task definitions they run.

DescribeClusters (100 a call) and DescribeServices (10 a call) batch; task definitions have no batch
read, so DescribeTaskDefinition is called once per family (its latest ACTIVE revision) and once per
revision a service runs that is not its family's latest.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

CLUSTERS_PER_CALL = 100
SERVICES_PER_CALL = 10


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Cluster(_Model):
    arn: str
    name: str
    container_insights: str | None
    """``enabled``, ``enhanced`` or ``disabled``; None when AWS returned no such setting."""


class Service(_Model):
    arn: str
    name: str
    cluster_arn: str
    desired_count: int
    scheduling_strategy: str
    """``REPLICA`` or ``DAEMON``."""
    deployment_controller: str
    """``ECS`` (rolling), ``CODE_DEPLOY`` (blue/green) or ``EXTERNAL``."""
    circuit_breaker: bool
    """The deployment circuit breaker is on and rolls back a failed deployment."""
    alarm_rollback: bool
    """CloudWatch alarms watch deployments and roll back when they go off."""
    subnets: tuple[str, ...]
    """The awsvpc subnets its tasks are placed in (always set on Fargate); empty otherwise."""
    task_definition: str | None


class Container(_Model):
    name: str
    privileged: bool
    log_driver: str | None
    environment: tuple[tuple[str, str], ...]
    """Plain-text environment variables (name, value): never copied into findings."""


class TaskDefinition(_Model):
    arn: str
    family: str
    revision: int
    containers: tuple[Container, ...]


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _setting(raw: dict[str, Any], name: str) -> str | None:
    return next((s.get("value") for s in raw.get("settings", []) if s.get("name") == name), None)


@fact("ecs.clusters", regional=True, permissions=["ecs:ListClusters", "ecs:DescribeClusters"])
def clusters(ctx: FetchContext) -> tuple[Cluster, ...]:
    """Settings only come back with ``include=["SETTINGS"]``; a cluster deleted between the list and
    the describe is reported under ``failures`` (MISSING) and left out."""
    ecs = ctx.client("ecs")
    arns = list(ctx.paginate("ecs", "list_clusters", "clusterArns"))
    found = []
    for batch in _chunks(arns, CLUSTERS_PER_CALL):
        response = ecs.describe_clusters(clusters=batch, include=["SETTINGS"])
        found += [
            Cluster(
                arn=raw["clusterArn"],
                name=raw["clusterName"],
                container_insights=_setting(raw, "containerInsights"),
            )
            for raw in response["clusters"]
        ]
    return tuple(found)


def _service(raw: dict[str, Any]) -> Service:
    deployment = raw.get("deploymentConfiguration") or {}
    breaker = deployment.get("deploymentCircuitBreaker") or {}
    alarms = deployment.get("alarms") or {}
    awsvpc = (raw.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    return Service(
        arn=raw["serviceArn"],
        name=raw["serviceName"],
        cluster_arn=raw["clusterArn"],
        desired_count=raw.get("desiredCount", 0),
        scheduling_strategy=raw.get("schedulingStrategy", "REPLICA"),
        deployment_controller=(raw.get("deploymentController") or {}).get("type", "ECS"),
        circuit_breaker=bool(breaker.get("enable") and breaker.get("rollback")),
        alarm_rollback=bool(
            alarms.get("enable") and alarms.get("rollback") and alarms.get("alarmNames")
        ),
        subnets=tuple(awsvpc.get("subnets", ())),
        task_definition=raw.get("taskDefinition"),
    )


@fact(
    "ecs.services",
    regional=True,
    permissions=["ecs:ListServices", "ecs:DescribeServices"],
    needs=(clusters,),
)
def services(ctx: FetchContext) -> tuple[Service, ...]:
    """Every service of every cluster; ListServices is per cluster, as the API is."""
    ecs = ctx.client("ecs")
    found: list[Service] = []
    for cluster in ctx.get(clusters):
        arns = list(ctx.paginate("ecs", "list_services", "serviceArns", cluster=cluster.arn))
        for batch in _chunks(arns, SERVICES_PER_CALL):
            response = ecs.describe_services(cluster=cluster.arn, services=batch)
            found += [_service(raw) for raw in response["services"]]
    return tuple(found)


def _container(raw: dict[str, Any]) -> Container:
    return Container(
        name=raw.get("name", ""),
        privileged=bool(raw.get("privileged")),
        log_driver=(raw.get("logConfiguration") or {}).get("logDriver"),
        environment=tuple(
            (variable.get("name", ""), variable.get("value", ""))
            for variable in raw.get("environment", [])
        ),
    )


@fact(
    "ecs.task_definitions",
    regional=True,
    permissions=["ecs:ListTaskDefinitionFamilies", "ecs:DescribeTaskDefinition"],
    needs=(services,),
)
def task_definitions(ctx: FetchContext) -> tuple[TaskDefinition, ...]:
    """The latest ACTIVE revision of each family (what the next task or deployment runs), and
    every revision a service runs now: one DescribeTaskDefinition each (no batch read exists)."""
    ecs = ctx.client("ecs")
    wanted = list(ctx.paginate("ecs", "list_task_definition_families", "families", status="ACTIVE"))
    wanted += sorted({s.task_definition for s in ctx.get(services) if s.task_definition})
    found: dict[str, TaskDefinition] = {}
    for reference in wanted:
        if reference in found:  # a service running its family's latest revision
            continue
        raw = ecs.describe_task_definition(taskDefinition=reference)["taskDefinition"]
        if raw["taskDefinitionArn"] in found:
            continue
        found[raw["taskDefinitionArn"]] = TaskDefinition(
            arn=raw["taskDefinitionArn"],
            family=raw["family"],
            revision=raw["revision"],
            containers=tuple(_container(c) for c in raw.get("containerDefinitions", [])),
        )
    return tuple(found.values())
