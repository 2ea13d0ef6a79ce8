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
