"""EKS and ECR checks (ops.eks-control-plane-logging, ops.eks-version, sec.eks-public-endpoint,
sec.ecr-image-scanning, sec.ecr-tag-immutability): a compliant and a non-compliant account in the
sandbox, ERROR naming a denied action, and edge cases on facts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.checks.containers_sandbox import ACCOUNT, REGION, findings, seed_containers
from tests.checks.sandbox_audit import assert_errors_naming
from tests.helpers import NOW, run_on_facts
from wa_audit.checks.operational_excellence_containers import EksVersionParams, eks_version
from wa_audit.checks.security_containers import ecr_image_scanning
from wa_audit.facts import ecr, eks, inspector
from wa_audit.models import Status

EKS_ARN = f"arn:aws:eks:{REGION}:{ACCOUNT}:cluster/search"
ALL_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"]


def _eks(**settings: Any) -> dict[str, Any]:
    return {"eks_clusters": [{"name": "search", "subnets": ["private-a", "private-b"], **settings}]}


@pytest.mark.parametrize(
    ("log_types", "status"), [(ALL_LOGS, Status.PASS), (["api"], Status.FAIL), ([], Status.FAIL)]
)
def test_control_plane_logging(sandbox, log_types, status):
    seed_containers(sandbox, _eks(log_types=log_types))
    [finding] = findings("ops.eks-control-plane-logging")
    assert (finding.status, finding.resource) == (status, EKS_ARN)
    assert finding.best_practices == ("OPS08-BP02", "SEC04-BP01")
    assert finding.evidence["enabled_log_types"] == sorted(log_types)


def test_required_log_types_come_from_the_params(sandbox):
    seed_containers(sandbox, _eks(log_types=["audit"]))
    [finding] = findings("ops.eks-control-plane-logging", {"required_log_types": ["audit"]})
    assert finding.status is Status.PASS


@pytest.mark.parametrize(
    ("version", "status", "version_status"),
    [
        ("latest", Status.PASS, "STANDARD_SUPPORT"),
        ("1.28", Status.FAIL, "UNSUPPORTED"),  # extended support ended 2025-11-26
    ],
)
def test_eks_version(sandbox, version, status, version_status):
    seed_containers(sandbox, _eks(version=version))
    [finding] = findings("ops.eks-version")
    assert (finding.status, finding.resource) == (status, EKS_ARN)
    assert finding.best_practices == ("OPS05-BP05", "SEC06-BP01")
    assert finding.evidence["versionStatus"] == version_status


def _cluster(version: str = "1.32") -> eks.Cluster:
    return eks.Cluster(
        name="search",
        arn=EKS_ARN,
        version=version,
        logged_types=frozenset(),
        endpoint_public=True,
        endpoint_private=False,
        public_access_cidrs=("0.0.0.0/0",),
    )


@pytest.mark.parametrize(
    ("status", "standard_end_in_days", "verdict", "words"),
    [
        ("EXTENDED_SUPPORT", -30, Status.FAIL, "paid extended support"),
        ("STANDARD_SUPPORT", 30, Status.WARN, "(30 days)"),
        ("STANDARD_SUPPORT", 300, Status.PASS, "in standard support"),
    ],
)
def test_version_status_comes_from_aws(status, standard_end_in_days, verdict, words):
    support = eks.VersionSupport(
        version="1.32",
        status=status,
        end_of_standard_support=NOW + timedelta(days=standard_end_in_days, hours=1),
    )
    facts = {eks.clusters: (_cluster(),), eks.cluster_versions: {"1.32": support}}
    [finding] = run_on_facts(eks_version, facts, region=REGION, params=EksVersionParams())
    assert (finding.status, finding.resource) == (verdict, EKS_ARN)
    assert words in finding.message


def test_a_version_aws_does_not_list_is_a_warning():
    facts = {eks.clusters: (_cluster("1.99"),), eks.cluster_versions: {}}
    [finding] = run_on_facts(eks_version, facts, region=REGION, params=EksVersionParams())
    assert finding.status is Status.WARN


@pytest.mark.parametrize(
    ("settings", "status"),
    [
        ({"endpoint_public": False, "endpoint_private": True, "public_access_cidrs": []}, "PASS"),
        ({"public_access_cidrs": ["203.0.113.0/24"]}, "PASS"),
        ({"public_access_cidrs": ["0.0.0.0/0"]}, "FAIL"),
    ],
)
def test_public_endpoint(sandbox, settings, status):
    seed_containers(sandbox, _eks(**settings))
    [finding] = findings("sec.eks-public-endpoint")
    assert (finding.status.value, finding.resource) == (status, EKS_ARN)
    assert finding.best_practices == ("SEC05-BP01", "SEC05-BP02")


def test_no_cluster_no_version_read(sandbox):
    """DescribeClusterVersions only where there is a cluster to judge."""
    seed_containers(sandbox, {"repositories": [{"name": "web"}]})
    assert findings("ops.eks-version") == [] or all(
        f.status is Status.NOT_APPLICABLE for f in findings("ops.eks-version")
    )


REPO_ARN = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/web"


ENHANCED_ALL = {"scan_type": "ENHANCED", "rules": [{"frequency": "CONTINUOUS_SCAN"}]}


@pytest.mark.parametrize(
    ("scanning", "status"),
    [
        ({**ENHANCED_ALL, "inspector": True}, Status.PASS),
        ({**ENHANCED_ALL, "inspector": False}, Status.FAIL),
        ({"scan_type": "BASIC", "rules": [{"frequency": "SCAN_ON_PUSH"}]}, Status.PASS),
        ({"scan_type": "BASIC", "rules": []}, Status.FAIL),
        (
            {
                "scan_type": "ENHANCED",
                "rules": [{"frequency": "SCAN_ON_PUSH", "filter": "x*"}],
                "inspector": True,
            },
            "F",
        ),
    ],
)
def test_image_scanning(sandbox, scanning, status):
    seed_containers(sandbox, {"registry_scanning": scanning, "repositories": [{"name": "web"}]})
    [finding] = findings("sec.ecr-image-scanning")
    expected = Status.FAIL if status == "F" else status
    assert (finding.status, finding.resource) == (expected, REPO_ARN)
    if scanning.get("inspector") is False:
        assert "Amazon Inspector's ECR scanning is DISABLED" in finding.message
    assert finding.best_practices == ("SEC06-BP01", "SEC06-BP05", "SEC11-BP02")


def test_basic_scanning_honours_the_repository_scan_on_push_flag(sandbox):
    sandbox.client("ecr").create_repository(
        repositoryName="web", imageScanningConfiguration={"scanOnPush": True}
    )
    [finding] = findings("sec.ecr-image-scanning")
    assert (finding.status, finding.resource) == (Status.PASS, REPO_ARN)


def test_enhanced_scanning_ignores_the_repository_flag():
    """A repository no enhanced filter matches is not scanned, whatever its old flag says."""
    repository = ecr.Repository(
        name="web", arn=REPO_ARN, tag_mutability="IMMUTABLE", scan_on_push=True
    )
    facts = {
        ecr.repositories: (repository,),
        ecr.registry_scan_type: "ENHANCED",
        ecr.repository_scanning: {
            "web": ecr.RepositoryScanning(scan_frequency="MANUAL", scan_on_push=False)
        },
        inspector.ecr_status: "ENABLED",
    }
    [finding] = run_on_facts(ecr_image_scanning, facts, region=REGION)
    assert (finding.status, finding.resource) == (Status.FAIL, REPO_ARN)
    assert "frequency MANUAL" in finding.message


@pytest.mark.parametrize(("mutability", "status"), [("IMMUTABLE", "PASS"), ("MUTABLE", "FAIL")])
def test_tag_immutability(sandbox, mutability, status):
    seed_containers(sandbox, {"repositories": [{"name": "web", "tag_mutability": mutability}]})
    [finding] = findings("sec.ecr-tag-immutability")
    assert (finding.status.value, finding.resource) == (status, REPO_ARN)
    assert finding.best_practices == ("SEC06-BP04",)


@pytest.mark.parametrize(
    ("check_id", "denied", "containers"),
    [
        ("ops.eks-version", "eks:DescribeClusterVersions", _eks()),
        ("sec.eks-public-endpoint", "eks:DescribeCluster", _eks()),
        (
            "sec.ecr-image-scanning",
            "ecr:BatchGetRepositoryScanningConfiguration",
            {"repositories": [{"name": "web"}]},
        ),
        (
            "sec.ecr-image-scanning",
            "inspector2:BatchGetAccountStatus",
            {"repositories": [{"name": "web"}], "registry_scanning": ENHANCED_ALL},
        ),
    ],
)
def test_denied_reads_are_errors_naming_the_action(
    sandbox, monkeypatch, check_id, denied, containers
):
    seed_containers(sandbox, containers)
    sandbox.enforce_iam(monkeypatch, deny=[denied])
    assert_errors_naming(findings(check_id), denied)
