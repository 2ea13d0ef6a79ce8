"""Operational excellence checks of container platforms: ECS telemetry, logs and safe deployments,
EKS control-plane logs and Kubernetes versions still in AWS's standard support."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.checks._findings import verdict
from wa_audit.context import CheckContext
from wa_audit.facts import ecs, eks
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree

EksLogType = Literal["api", "audit", "authenticator", "controllerManager", "scheduler"]


def _default_log_types() -> list[EksLogType]:
    return ["api", "audit", "authenticator"]


@check(
    id="ops.ecs-container-insights",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="ECS clusters collect Container Insights metrics",
    fail_title="ECS clusters run without Container Insights",
    severity=Severity.LOW,
    best_practices=["OPS04-BP02", "PERF02-BP03"],
    remediation=(
        "Turn on Container Insights for the cluster (UpdateClusterSettings containerInsights = "
        "enhanced or enabled), and for new clusters with the account setting containerInsights."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html",
    facts=[ecs.clusters],
    regional=True,
)
def ecs_container_insights(ctx: CheckContext) -> Iterator[Finding]:
    for cluster in ctx.fact(ecs.clusters):
        setting = cluster.container_insights
        yield verdict(
            ctx,
            cluster.arn,
            setting in ("enabled", "enhanced"),
            f"ECS cluster {cluster.name} collects Container Insights metrics ({setting}).",
            f"ECS cluster {cluster.name} has Container Insights {setting or 'off'}: no task- or "
            "service-level CPU, memory and network metrics are recorded.",
            {"containerInsights": setting},
        )


@check(
    id="ops.ecs-deployment-rollback",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="ECS services roll back failed deployments automatically",
    fail_title="ECS services do not roll back failed deployments",
    severity=Severity.MEDIUM,
    best_practices=["OPS06-BP01", "OPS06-BP04"],
    remediation=(
        "Turn on the deployment circuit breaker with rollback (deploymentConfiguration."
        "deploymentCircuitBreaker enable = true, rollback = true), or CloudWatch alarm rollback, "
        "or deploy blue/green with CodeDeploy."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html",
    facts=[ecs.services],
    regional=True,
)
def ecs_deployment_rollback(ctx: CheckContext) -> Iterator[Finding]:
    for service in ctx.fact(ecs.services):
        evidence = {
            "deploymentController": service.deployment_controller,
            "circuit_breaker_rollback": service.circuit_breaker,
            "alarm_rollback": service.alarm_rollback,
        }
        if service.deployment_controller == "EXTERNAL":
            yield ctx.not_applicable(
                service.arn,
                f"ECS service {service.name} is deployed by an external controller: its rollback "
                "is configured outside ECS.",
                evidence=evidence,
            )
            continue
        how = (
            "deploys blue/green through CodeDeploy"
            if service.deployment_controller == "CODE_DEPLOY"
            else "rolls back on the deployment circuit breaker"
            if service.circuit_breaker
            else "rolls back when its deployment alarms go off"
        )
        yield verdict(
            ctx,
            service.arn,
            service.deployment_controller == "CODE_DEPLOY"
            or service.circuit_breaker
            or service.alarm_rollback,
            f"ECS service {service.name} {how}.",
            f"ECS service {service.name} has neither the deployment circuit breaker with rollback "
            "nor alarm rollback: a failing deployment keeps replacing tasks until someone stops it.",
            evidence,
        )


@check(
    id="ops.ecs-logging",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="ECS containers send their logs somewhere",
    fail_title="ECS containers have no log configuration",
    severity=Severity.MEDIUM,
    best_practices=["OPS08-BP02", "REL06-BP01"],
    remediation=(
        "Give every container definition a logConfiguration (awslogs to CloudWatch Logs, or "
        "awsfirelens) and register a new task definition revision."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html",
    facts=[ecs.task_definitions],
    regional=True,
)
def ecs_logging(ctx: CheckContext) -> Iterator[Finding]:
    for task in ctx.fact(ecs.task_definitions):
        silent = [c.name for c in task.containers if not c.log_driver]
        yield verdict(
            ctx,
            task.arn,
            not silent,
            f"Every container of task definition {task.family}:{task.revision} has a log "
            "configuration.",
            f"Task definition {task.family}:{task.revision} has "
            f"{agree(len(silent), 'a container', 'containers')} without a log configuration: "
            f"{', '.join(silent)}; {agree(len(silent), 'its', 'their')} output is lost when the "
            "task stops.",
            {"containers_without_logs": silent, "containers": len(task.containers)},
        )


class EksLoggingParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    required_log_types: list[EksLogType] = Field(
        default_factory=_default_log_types,
        description="Control-plane log types that must be on.",
    )


@check(
    id="ops.eks-control-plane-logging",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="EKS clusters send control-plane logs to CloudWatch Logs",
    fail_title="EKS clusters lack control-plane logs",
    severity=Severity.MEDIUM,
    best_practices=["OPS08-BP02", "SEC04-BP01"],
    remediation=(
        "Turn on the api, audit and authenticator control-plane log types (UpdateClusterConfig "
        "logging); they go to the /aws/eks/<cluster>/cluster log group."
    ),
    docs_url="https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
    facts=[eks.clusters],
    regional=True,
    params=EksLoggingParams,
)
def eks_control_plane_logging(ctx: CheckContext) -> Iterator[Finding]:
    required = ctx.params(EksLoggingParams).required_log_types
    for cluster in ctx.fact(eks.clusters):
        missing = [kind for kind in required if kind not in cluster.logged_types]
        yield verdict(
            ctx,
            cluster.arn,
            not missing,
            f"EKS cluster {cluster.name} logs {', '.join(required)} to CloudWatch Logs.",
            f"EKS cluster {cluster.name} does not log {', '.join(missing)}: API calls and "
            "authentication to the cluster leave no record.",
            {"enabled_log_types": sorted(cluster.logged_types), "required": list(required)},
        )


class EksVersionParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    warn_days: int = Field(
        default=90, ge=0, description="WARN when standard support ends within this many days."
    )


@check(
    id="ops.eks-version",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="EKS clusters run a Kubernetes version in standard support",
    fail_title="EKS clusters run a Kubernetes version past standard support",
    severity=Severity.HIGH,
    best_practices=["OPS05-BP05", "SEC06-BP01"],
    remediation=(
        "Upgrade the cluster (and then its nodes) one minor version at a time to a version in "
        "standard support; extended support costs extra per cluster hour and ends in a forced "
        "upgrade."
    ),
    docs_url="https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
    facts=[eks.clusters, eks.cluster_versions],
    regional=True,
    params=EksVersionParams,
)
def eks_version(ctx: CheckContext) -> Iterator[Finding]:
    """Judged on AWS's own status of the version (DescribeClusterVersions), not a table of ours."""
    warn_days = ctx.params(EksVersionParams).warn_days
    versions = ctx.fact(eks.cluster_versions)
    for cluster in ctx.fact(eks.clusters):
        support = versions.get(cluster.version)
        named = f"EKS cluster {cluster.name} runs Kubernetes {cluster.version}"
        if support is None:
            yield ctx.warned(
                cluster.arn,
                f"{named}, a version AWS's version list does not name: its support is unknown.",
                evidence={"version": cluster.version},
            )
            continue
        end = support.end_of_standard_support
        evidence = {
            "version": cluster.version,
            "versionStatus": support.status,
            "endOfStandardSupportDate": end.date().isoformat() if end else None,
            "endOfExtendedSupportDate": support.end_of_extended_support.date().isoformat()
            if support.end_of_extended_support
            else None,
            "warn_days": warn_days,
        }
        if support.status == "STANDARD_SUPPORT":
            left = (end - ctx.now).days if end else None
            if left is not None and left < warn_days:
                yield ctx.warned(
                    cluster.arn,
                    f"{named}, whose standard support ends on {end:%Y-%m-%d} ({left} days).",
                    evidence=evidence,
                )
            else:
                yield ctx.passed(cluster.arn, f"{named}, in standard support.", evidence=evidence)
        elif support.status == "EXTENDED_SUPPORT":
            yield ctx.failed(
                cluster.arn,
                f"{named}, whose standard support ended"
                + (f" on {end:%Y-%m-%d}" if end else "")
                + ": it is in paid extended support.",
                evidence=evidence,
            )
        else:
            yield ctx.failed(
                cluster.arn, f"{named}, which AWS no longer supports.", evidence=evidence
            )
