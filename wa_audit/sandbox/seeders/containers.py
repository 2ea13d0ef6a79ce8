"""The ``containers`` section: ECS clusters, task definitions and services, EKS clusters, ECR
repositories and the registry's scanning configuration, region by region.

Subnets and security groups are named as in the ``workload`` section (its ``subnet_ids`` and
``security_group_ids`` outputs), so this section is seeded after it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder

EKS_ROLE = "eksClusterRole"
ECS_EXECUTION_ROLE = "ecsTaskExecutionRole"


class Container(SectionModel):
    name: str
    image: str
    privileged: bool = False
    logs: bool = True
    """An awslogs log configuration to /ecs/<family>; False for none."""
    environment: dict[str, str] = Field(default_factory=dict)
    secrets: dict[str, str] = Field(default_factory=dict)
    """Variable name -> Secrets Manager or Parameter Store ARN (``valueFrom``)."""


class TaskDefinition(SectionModel):
    family: str
    containers: tuple[Container, ...]
    fargate: bool = True


class EcsCluster(SectionModel):
    name: str
    container_insights: Literal["enabled", "enhanced", "disabled"] = "disabled"


class EcsService(SectionModel):
    name: str
    cluster: str
    task_definition: str
    desired_count: int = 1
    subnets: tuple[str, ...]
    security_groups: tuple[str, ...] = ()
    circuit_breaker: bool = False
    """The deployment circuit breaker, with rollback."""


class EksCluster(SectionModel):
    name: str
    version: str = "latest"
    """A Kubernetes version, or ``latest``: the newest EKS offers on the sandbox's date."""
    subnets: tuple[str, ...]
    log_types: tuple[str, ...] = ()
    endpoint_public: bool = True
    endpoint_private: bool = False
    public_access_cidrs: tuple[str, ...] = ("0.0.0.0/0",)


class Repository(SectionModel):
    name: str
    tag_mutability: Literal["MUTABLE", "IMMUTABLE"] = "MUTABLE"


class ScanRule(SectionModel):
    frequency: Literal["SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL"]
    filter: str = "*"


class RegistryScanning(SectionModel):
    scan_type: Literal["BASIC", "ENHANCED"] = "BASIC"
    rules: tuple[ScanRule, ...] = ()
    inspector: bool = False
    """Amazon Inspector's ECR scanning is on (what enhanced scanning needs to scan)."""


class RegionContainers(SectionModel):
    ecs_clusters: tuple[EcsCluster, ...] = ()
    task_definitions: tuple[TaskDefinition, ...] = ()
    services: tuple[EcsService, ...] = ()
    eks_clusters: tuple[EksCluster, ...] = ()
    repositories: tuple[Repository, ...] = ()
    registry_scanning: RegistryScanning | None = None


class ContainersSection(SectionModel):
    regions: dict[str, RegionContainers]


def _ids(env: SeedEnv, key: str, region: str, names: tuple[str, ...]) -> list[str]:
    known = env.outputs.get(key, {}).get(region, {})
    missing = [name for name in names if name not in known]
    if missing:
        raise ValueError(f"containers: no {key[:-4]} named {', '.join(missing)} in {region}")
    return [known[name] for name in names]


def _container(family: str, region: str, container: Container) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "name": container.name,
        "image": container.image,
        "essential": True,
        "privileged": container.privileged,
        "environment": [{"name": k, "value": v} for k, v in container.environment.items()],
        "secrets": [{"name": k, "valueFrom": v} for k, v in container.secrets.items()],
    }
    if container.logs:
        definition["logConfiguration"] = {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": f"/ecs/{family}",
                "awslogs-region": region,
                "awslogs-stream-prefix": container.name,
            },
        }
    return definition


def _seed_ecs(env: SeedEnv, region: str, workload: RegionContainers) -> None:
    ecs = env.client("ecs", region)
    for cluster in workload.ecs_clusters:
        ecs.create_cluster(
            clusterName=cluster.name,
            settings=[{"name": "containerInsights", "value": cluster.container_insights}],
        )
    for task in workload.task_definitions:
        ecs.register_task_definition(
            family=task.family,
            containerDefinitions=[_container(task.family, region, c) for c in task.containers],
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"] if task.fargate else ["EC2"],
            cpu="256",
            memory="512",
            executionRoleArn=f"arn:aws:iam::{env.account_id}:role/{ECS_EXECUTION_ROLE}",
        )
    for service in workload.services:
        ecs.create_service(
            cluster=service.cluster,
            serviceName=service.name,
            taskDefinition=service.task_definition,
            desiredCount=service.desired_count,
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {
                    "subnets": _ids(env, "subnet_ids", region, service.subnets),
                    "securityGroups": _ids(
                        env, "security_group_ids", region, service.security_groups
                    ),
                    "assignPublicIp": "DISABLED",
                }
            },
            deploymentConfiguration={
                "deploymentCircuitBreaker": {
                    "enable": service.circuit_breaker,
                    "rollback": service.circuit_breaker,
                },
                "maximumPercent": 200,
                "minimumHealthyPercent": 100,
            },
        )


def _latest_version(eks: Any) -> str:
    offered = eks.describe_cluster_versions(versionStatus="STANDARD_SUPPORT")["clusterVersions"]
    newest = max(offered, key=lambda v: [int(part) for part in v["clusterVersion"].split(".")])
    return str(newest["clusterVersion"])


def _seed_eks(env: SeedEnv, region: str, workload: RegionContainers) -> None:
    eks = env.client("eks", region)
    for cluster in workload.eks_clusters:
        version = _latest_version(eks) if cluster.version == "latest" else cluster.version
        eks.create_cluster(
            name=cluster.name,
            version=version,
            roleArn=f"arn:aws:iam::{env.account_id}:role/{EKS_ROLE}",
            resourcesVpcConfig={
                "subnetIds": _ids(env, "subnet_ids", region, cluster.subnets),
                "endpointPublicAccess": cluster.endpoint_public,
                "endpointPrivateAccess": cluster.endpoint_private,
                "publicAccessCidrs": list(cluster.public_access_cidrs),
            },
            logging={"clusterLogging": [{"types": list(cluster.log_types), "enabled": True}]}
            if cluster.log_types
            else {"clusterLogging": []},
        )


def _seed_ecr(env: SeedEnv, region: str, workload: RegionContainers) -> None:
    ecr = env.client("ecr", region)
    if workload.registry_scanning is not None and workload.registry_scanning.inspector:
        # Choosing enhanced scanning in the ECR console turns on Inspector's ECR scanning.
        env.client("inspector2", region).enable(accountIds=[env.account_id], resourceTypes=["ECR"])
    if workload.registry_scanning is not None:
        ecr.put_registry_scanning_configuration(
            scanType=workload.registry_scanning.scan_type,
            rules=[
                {
                    "scanFrequency": rule.frequency,
                    "repositoryFilters": [{"filter": rule.filter, "filterType": "WILDCARD"}],
                }
                for rule in workload.registry_scanning.rules
            ],
        )
    for repository in workload.repositories:
        ecr.create_repository(
            repositoryName=repository.name, imageTagMutability=repository.tag_mutability
        )


def seed_containers(section: ContainersSection, env: SeedEnv) -> None:
    for region, workload in section.regions.items():
        _seed_ecs(env, region, workload)
        _seed_eks(env, region, workload)
        _seed_ecr(env, region, workload)


SEEDER = Seeder("containers", ContainersSection, seed_containers)
