"""Account settings: the alternate contacts AWS writes to about billing, operations and security."""

from __future__ import annotations

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

CONTACT_TYPES = ("BILLING", "OPERATIONS", "SECURITY")


class AlternateContact(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: str
    name: str
    email: str


class AlternateContacts(BaseModel):
    model_config = ConfigDict(frozen=True)

    by_type: dict[str, AlternateContact | None]

    def missing(self, *types: str) -> list[str]:
        return [t for t in types if self.by_type.get(t) is None]


@fact("account.alternate_contacts", regional=False, permissions=["account:GetAlternateContact"])
def alternate_contacts(ctx: FetchContext) -> AlternateContacts:
    """One call per contact type; AWS answers ResourceNotFoundException for an unset contact."""
    client = ctx.client("account")
    found: dict[str, AlternateContact | None] = {}
    for contact_type in CONTACT_TYPES:
        try:
            raw = client.get_alternate_contact(AlternateContactType=contact_type)[
                "AlternateContact"
            ]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise
            found[contact_type] = None
            continue
        found[contact_type] = AlternateContact(
            type=contact_type, name=raw.get("Name", ""), email=raw.get("EmailAddress", "")
        )
    return AlternateContacts(by_type=found)
