"""ECR facts: private repositories, the registry's scanning configuration, and each repository's
effective scanning (what the registry's filters and the repository's own setting amount to)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

REPOSITORIES_PER_SCAN_CALL = 25  # BatchGetRepositoryScanningConfiguration's maximum


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Repository(_Model):
    name: str
    arn: str
    tag_mutability: str
    """``MUTABLE``, ``IMMUTABLE``, ``IMMUTABLE_WITH_EXCLUSION`` or ``MUTABLE_WITH_EXCLUSION``."""
    scan_on_push: bool
    """The repository's own (deprecated) scan-on-push flag."""


class RepositoryScanning(_Model):
    scan_frequency: str
    """``SCAN_ON_PUSH``, ``CONTINUOUS_SCAN`` or ``MANUAL`` (never scanned unless asked)."""
    scan_on_push: bool


@fact("ecr.repositories", regional=True, permissions=["ecr:DescribeRepositories"])
def repositories(ctx: FetchContext) -> tuple[Repository, ...]:
    return tuple(
        Repository(
            name=raw["repositoryName"],
            arn=raw["repositoryArn"],
            tag_mutability=raw.get("imageTagMutability", "MUTABLE"),
            scan_on_push=(raw.get("imageScanningConfiguration") or {}).get("scanOnPush", False),
        )
        for raw in ctx.paginate("ecr", "describe_repositories", "repositories")
    )


@fact(
    "ecr.registry_scan_type",
    regional=True,
    permissions=["ecr:GetRegistryScanningConfiguration"],
)
def registry_scan_type(ctx: FetchContext) -> str:
    """``BASIC`` (ECR's own scanner) or ``ENHANCED`` (Amazon Inspector); BASIC when unset, as AWS
    documents for a registry without a scanning configuration."""
    response = ctx.client("ecr").get_registry_scanning_configuration()
    return str((response.get("scanningConfiguration") or {}).get("scanType") or "BASIC")


@fact(
    "ecr.repository_scanning",
    regional=True,
    permissions=["ecr:BatchGetRepositoryScanningConfiguration"],
    needs=(repositories,),
)
def repository_scanning(ctx: FetchContext) -> dict[str, RepositoryScanning]:
    """Repository name -> its effective scanning; a repository deleted meanwhile is a failure
    entry and left out."""
    ecr = ctx.client("ecr")
    names = [repository.name for repository in ctx.get(repositories)]
    found = {}
    for start in range(0, len(names), REPOSITORIES_PER_SCAN_CALL):
        batch = names[start : start + REPOSITORIES_PER_SCAN_CALL]
        response = ecr.batch_get_repository_scanning_configuration(repositoryNames=batch)
        for raw in response.get("scanningConfigurations", []):
            found[raw["repositoryName"]] = RepositoryScanning(
                scan_frequency=raw.get("scanFrequency", "MANUAL"),
                scan_on_push=raw.get("scanOnPush", False),
            )
    return found
