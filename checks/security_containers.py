"""Security checks of container platforms: what ECS tasks may do and carry, who can reach an EKS
API endpoint, and whether ECR images are scanned and their tags fixed."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._findings import verdict
from wa_audit.checks._secret_values import secret_names
from wa_audit.context import CheckContext
from wa_audit.facts import ecr, ecs, eks, inspector
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree

OPEN_TO_ALL = ("0.0.0.0/0", "::/0")


@check(
    id="sec.ecs-privileged-containers",
    pillar=Pillar.SECURITY,
    title="ECS containers do not run privileged",
    fail_title="ECS containers run privileged",
    severity=Severity.HIGH,
    best_practices=["SEC03-BP02"],
    remediation=(
        "Remove privileged = true from the container definition; grant only the Linux "
        "capabilities it needs (linuxParameters.capabilities.add) and register a new revision."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-tasks-containers.html",
    facts=[ecs.task_definitions],
    regional=True,
)
def ecs_privileged_containers(ctx: CheckContext) -> Iterator[Finding]:
    for task in ctx.fact(ecs.task_definitions):
        privileged = [c.name for c in task.containers if c.privileged]
        yield verdict(
            ctx,
            task.arn,
            not privileged,
            f"No container of task definition {task.family}:{task.revision} runs privileged.",
            f"Task definition {task.family}:{task.revision} runs "
            f"{agree(len(privileged), 'a container', 'containers')} privileged: "
            f"{', '.join(privileged)}; {agree(len(privileged), 'it has', 'they have')} root access "
            "to the host.",
            {"privileged_containers": privileged},
        )


@check(
    id="sec.ecs-plaintext-secrets",
    pillar=Pillar.SECURITY,
    title="ECS task definitions keep secrets out of environment variables",
    fail_title="ECS task definitions hold secrets in plain-text environment variables",
    severity=Severity.HIGH,
    best_practices=["SEC02-BP03"],
    remediation=(
        "Move the value to Secrets Manager or SSM Parameter Store, reference it in the container "
        "definition's secrets (valueFrom), rotate the exposed secret, and register a new revision."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html",
    facts=[ecs.task_definitions],
    regional=True,
)
def ecs_plaintext_secrets(ctx: CheckContext) -> Iterator[Finding]:
    """Names only in findings: the values are the secrets (anyone with DescribeTaskDefinition,
    e.g. ReadOnlyAccess, can read them, which is the problem)."""
    for task in ctx.fact(ecs.task_definitions):
        found = {c.name: names for c in task.containers if (names := secret_names(c.environment))}
        listed = "; ".join(f"{name}: {', '.join(found[name])}" for name in sorted(found))
        yield verdict(
            ctx,
            task.arn,
            not found,
            f"No environment variable of task definition {task.family}:{task.revision} looks "
            "like a secret.",
            f"Task definition {task.family}:{task.revision} holds secret-looking values in "
            f"plain-text environment variables ({listed}).",
            {"variables_by_container": found},
        )


@check(
    id="sec.eks-public-endpoint",
    pillar=Pillar.SECURITY,
    title="EKS API endpoints are not open to the whole internet",
    fail_title="EKS API endpoints are open to the whole internet",
    severity=Severity.HIGH,
    best_practices=["SEC05-BP01", "SEC05-BP02"],
    remediation=(
        "Turn on the private endpoint and turn off the public one, or restrict "
        "publicAccessCidrs to your own address ranges (UpdateClusterConfig resourcesVpcConfig)."
    ),
    docs_url="https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
    facts=[eks.clusters],
    regional=True,
)
def eks_public_endpoint(ctx: CheckContext) -> Iterator[Finding]:
    for cluster in ctx.fact(eks.clusters):
        open_to = [c for c in cluster.public_access_cidrs if c in OPEN_TO_ALL]
        exposed = cluster.endpoint_public and bool(open_to)
        reach = (
            "private only"
            if not cluster.endpoint_public
            else f"public from {', '.join(cluster.public_access_cidrs)} only"
        )
        yield verdict(
            ctx,
            cluster.arn,
            not exposed,
            f"EKS cluster {cluster.name}'s API endpoint is {reach}.",
            f"EKS cluster {cluster.name}'s API endpoint is public to {', '.join(open_to)}: "
            "anyone on the internet can reach the Kubernetes API.",
            {
                "endpointPublicAccess": cluster.endpoint_public,
                "endpointPrivateAccess": cluster.endpoint_private,
                "publicAccessCidrs": list(cluster.public_access_cidrs),
            },
        )


@check(
    id="sec.ecr-image-scanning",
    pillar=Pillar.SECURITY,
    title="ECR repositories scan images for vulnerabilities",
    fail_title="ECR repositories do not scan images",
    severity=Severity.MEDIUM,
    best_practices=["SEC06-BP01", "SEC06-BP05", "SEC11-BP02"],
    remediation=(
        "Set a registry scanning rule that matches every repository: enhanced scanning "
        "(Amazon Inspector, continuous) or at least basic scan on push."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
    facts=[
        ecr.repositories,
        ecr.registry_scan_type,
        ecr.repository_scanning,
        inspector.ecr_status,
    ],
    regional=True,
)
def ecr_image_scanning(ctx: CheckContext) -> Iterator[Finding]:
    """The effective per-repository frequency ECR reports; with basic scanning the repository's
    own (deprecated) scan-on-push flag still counts, with enhanced scanning it does not: a
    repository no enhanced filter matches is not scanned (ECR user guide, scanning filters).
    Enhanced scanning is Amazon Inspector's: with Inspector's ECR scanning not ENABLED, nothing
    is scanned whatever the filters say."""
    scan_type = ctx.fact(ecr.registry_scan_type)
    effective = ctx.fact(ecr.repository_scanning)
    inspector_status = ctx.fact(inspector.ecr_status) if ctx.fact(ecr.repositories) else None
    for repository in ctx.fact(ecr.repositories):
        if scan_type == "ENHANCED" and inspector_status != "ENABLED":
            yield ctx.failed(
                repository.arn,
                f"ECR repository {repository.name} is not scanned: the registry uses enhanced "
                f"scanning, but Amazon Inspector's ECR scanning is {inspector_status}.",
                evidence={"registryScanType": scan_type, "inspectorEcrStatus": inspector_status},
            )
            continue
        scanning = effective.get(repository.name)
        frequency = scanning.scan_frequency if scanning else None
        scanned = frequency in ("SCAN_ON_PUSH", "CONTINUOUS_SCAN") or (
            scan_type == "BASIC"
            and (repository.scan_on_push or bool(scanning and scanning.scan_on_push))
        )
        kind = "enhanced (Amazon Inspector)" if scan_type == "ENHANCED" else "basic"
        yield verdict(
            ctx,
            repository.arn,
            scanned,
            f"ECR repository {repository.name} is scanned ({kind}, {frequency or 'on push'}).",
            f"ECR repository {repository.name} is not scanned automatically ({kind} scanning, "
            f"frequency {frequency or 'unknown'}): vulnerable images go unnoticed.",
            {
                "registryScanType": scan_type,
                "scanFrequency": frequency,
                "repositoryScanOnPush": repository.scan_on_push,
            },
        )


@check(
    id="sec.ecr-tag-immutability",
    pillar=Pillar.SECURITY,
    title="ECR repositories keep image tags immutable",
    fail_title="ECR repositories let image tags be overwritten",
    severity=Severity.LOW,
    best_practices=["SEC06-BP04"],
    remediation=(
        "Set the repository's image tag mutability to IMMUTABLE (PutImageTagMutability), and "
        "deploy by digest or by unique tag."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
    facts=[ecr.repositories],
    regional=True,
)
def ecr_tag_immutability(ctx: CheckContext) -> Iterator[Finding]:
    for repository in ctx.fact(ecr.repositories):
        mutability = repository.tag_mutability
        yield verdict(
            ctx,
            repository.arn,
            mutability.startswith("IMMUTABLE"),
            f"ECR repository {repository.name} keeps its image tags immutable ({mutability}).",
            f"ECR repository {repository.name} lets a push overwrite an existing tag "
            f"({mutability}): the image a tag names can change after it was tested.",
            {"imageTagMutability": mutability},
        )
