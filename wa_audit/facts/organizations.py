"""Organizations membership: whether the account belongs to an organization, and in which role."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless


class Organization(BaseModel):
    """The organization the account belongs to, if any."""

    model_config = ConfigDict(frozen=True)

    organization_id: str | None = None
    management_account_id: str | None = None

    @property
    def in_organization(self) -> bool:
        return self.organization_id is not None

    def is_member(self, account_id: str) -> bool:
        """In an organization, and not its management account (whose root cannot be removed)."""
        return self.in_organization and self.management_account_id != account_id


@fact(
    "organizations.organization",
    regional=False,
    permissions=["organizations:DescribeOrganization"],
)
def organization(ctx: FetchContext) -> Organization:
    """Any account of an organization may describe it; AWSOrganizationsNotInUseException = none."""
    response = response_unless(
        {"AWSOrganizationsNotInUseException"}, ctx.client("organizations").describe_organization
    )
    if response is None:
        return Organization()
    raw = response["Organization"]
    return Organization(organization_id=raw["Id"], management_account_id=raw["MasterAccountId"])
