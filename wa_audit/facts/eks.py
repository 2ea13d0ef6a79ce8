"""EKS facts: clusters (their endpoint, control-plane logging and version) and AWS's version list.

EKS has no batch read: DescribeCluster is called once per cluster ListClusters names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Cluster(_Model):
    name: str
    arn: str
    version: str
    logged_types: frozenset[str]
    """Control-plane log types sent to CloudWatch Logs (api, audit, authenticator, …)."""
    endpoint_public: bool
    endpoint_private: bool
    public_access_cidrs: tuple[str, ...]


class VersionSupport(_Model):
    """AWS's support status of one Kubernetes minor version (DescribeClusterVersions)."""

    version: str
    status: str
    """``STANDARD_SUPPORT``, ``EXTENDED_SUPPORT`` or ``UNSUPPORTED``."""
    end_of_standard_support: datetime | None = None
    end_of_extended_support: datetime | None = None


def _logged_types(raw: dict[str, Any]) -> frozenset[str]:
    setups = (raw.get("logging") or {}).get("clusterLogging", [])
    return frozenset(kind for s in setups if s.get("enabled") for kind in s.get("types", []))


@fact("eks.clusters", regional=True, permissions=["eks:ListClusters", "eks:DescribeCluster"])
def clusters(ctx: FetchContext) -> tuple[Cluster, ...]:
    eks = ctx.client("eks")
    found = []
    for name in ctx.paginate("eks", "list_clusters", "clusters"):
        raw = eks.describe_cluster(name=name)["cluster"]
        vpc = raw.get("resourcesVpcConfig") or {}
        found.append(
            Cluster(
                name=raw["name"],
                arn=raw["arn"],
                version=raw["version"],
                logged_types=_logged_types(raw),
                # AWS's defaults when a cluster is created without saying (CreateCluster reference).
                endpoint_public=vpc.get("endpointPublicAccess", True),
                endpoint_private=vpc.get("endpointPrivateAccess", False),
                public_access_cidrs=tuple(vpc.get("publicAccessCidrs", ())),
            )
        )
    return tuple(found)


@fact(
    "eks.cluster_versions",
    regional=True,
    permissions=["eks:DescribeClusterVersions"],
    needs=(clusters,),
)
def cluster_versions(ctx: FetchContext) -> dict[str, VersionSupport]:
    """Kubernetes version -> AWS's support status; ``includeAll`` lists unsupported versions too.
    Not read in a region without clusters (nothing to judge)."""
    if not ctx.get(clusters):
        return {}
    found = {}
    for raw in ctx.paginate("eks", "describe_cluster_versions", "clusterVersions", includeAll=True):
        found[raw["clusterVersion"]] = VersionSupport(
            version=raw["clusterVersion"],
            status=raw.get("versionStatus") or raw.get("status", "").upper().replace("-", "_"),
            end_of_standard_support=raw.get("endOfStandardSupportDate"),
            end_of_extended_support=raw.get("endOfExtendedSupportDate"),
        )
    return found
