from __future__ import annotations

from wa_audit.aws import AwsSession
from wa_audit.facts.account import alternate_contacts
from wa_audit.facts.store import FactStore


def test_unset_contacts_are_missing(sandbox):
    sandbox.client("account").put_alternate_contact(
        AlternateContactType="SECURITY",
        Name="Sec Team",
        Title="CISO",
        EmailAddress="security@example.com",
        PhoneNumber="+1-555-0100",
    )
    session = AwsSession()
    contacts = FactStore(session, session.identity()).get(alternate_contacts, "us-east-1")
    assert contacts.missing("BILLING", "OPERATIONS", "SECURITY") == ["BILLING", "OPERATIONS"]
    assert contacts.by_type["SECURITY"].email == "security@example.com"
