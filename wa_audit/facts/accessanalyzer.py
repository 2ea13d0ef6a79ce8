"""IAM Access Analyzer analyzers, per region."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

# The analyzer types that report access from outside the account or organization; the others
# (unused access, internal access) answer different questions.
EXTERNAL_ACCESS_TYPES = frozenset({"ACCOUNT", "ORGANIZATION"})


class Analyzer(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    type: str
    status: str

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"

    @property
    def external_access(self) -> bool:
        return self.type in EXTERNAL_ACCESS_TYPES


@fact("accessanalyzer.analyzers", regional=True, permissions=["access-analyzer:ListAnalyzers"])
def analyzers(ctx: FetchContext) -> tuple[Analyzer, ...]:
    return tuple(
        Analyzer(name=raw["name"], arn=raw["arn"], type=raw["type"], status=raw["status"])
        for raw in ctx.paginate("accessanalyzer", "list_analyzers", "analyzers")
    )


UNUSED_ACCESS_TYPES = frozenset({"ACCOUNT_UNUSED_ACCESS", "ORGANIZATION_UNUSED_ACCESS"})


class UnusedAccessFinding(BaseModel):
    """An active finding of an unused-access analyzer: a role, key, password or permission unused."""

    model_config = ConfigDict(frozen=True)

    id: str
    analyzer_arn: str
    resource: str | None
    resource_type: str
    finding_type: str | None
    owner_account: str


class UnusedAccess(BaseModel):
    model_config = ConfigDict(frozen=True)

    analyzers: tuple[Analyzer, ...]
    """The region's active unused-access analyzers."""
    findings: tuple[UnusedAccessFinding, ...]


@fact(
    "accessanalyzer.unused_access",
    regional=True,
    permissions=["access-analyzer:ListFindingsV2"],
    needs=(analyzers,),
)
def unused_access(ctx: FetchContext) -> UnusedAccess:
    """The ACTIVE findings of each active unused-access analyzer: one ListFindingsV2 per analyzer
    (findings have no account-level list). Unused-access analyzers are a paid feature."""
    watching = tuple(a for a in ctx.get(analyzers) if a.active and a.type in UNUSED_ACCESS_TYPES)
    findings = [
        UnusedAccessFinding(
            id=raw["id"],
            analyzer_arn=analyzer.arn,
            resource=raw.get("resource"),
            resource_type=raw["resourceType"],
            finding_type=raw.get("findingType"),
            owner_account=raw["resourceOwnerAccount"],
        )
        for analyzer in watching
        for raw in ctx.paginate(
            "accessanalyzer",
            "list_findings_v2",
            "findings",
            analyzerArn=analyzer.arn,
            filter={"status": {"eq": ["ACTIVE"]}},
        )
    ]
    return UnusedAccess(analyzers=watching, findings=tuple(findings))
