"""Amazon Macie in a region: whether it is on, and whether it discovers sensitive data by itself.

Where Macie was never enabled, AWS answers ``GetMacieSession`` with ``AccessDeniedException``
"Macie is not enabled" (not a NotFound), so that message, and only it, reads as "off"; any other
denial is a missing permission. ``ResourceNotFoundException`` (the model lists it) is read as off
too. Automated sensitive data discovery is read only where Macie is on.
https://docs.aws.amazon.com/macie/latest/APIReference/macie.html#GetMacieSession
"""

from __future__ import annotations

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact
from wa_audit.facts.per_resource import error_code

NOT_ENABLED_MESSAGE = "macie is not enabled"


class MacieStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: str | None = None
    """``ENABLED`` or ``PAUSED``; None when Macie is not enabled in the region."""
    automated_discovery: str | None = None
    """``ENABLED`` or ``DISABLED``; None when Macie is off (nothing to ask)."""


def _not_enabled(error: ClientError) -> bool:
    code = error_code(error)
    message = str(error.response.get("Error", {}).get("Message", "")).lower()
    return code == "ResourceNotFoundException" or (
        code == "AccessDeniedException" and NOT_ENABLED_MESSAGE in message
    )


@fact(
    "macie.status",
    regional=True,
    permissions=["macie2:GetMacieSession", "macie2:GetAutomatedDiscoveryConfiguration"],
)
def status(ctx: FetchContext) -> MacieStatus:
    client = ctx.client("macie2")
    try:
        session = client.get_macie_session()
    except ClientError as error:
        if _not_enabled(error):
            return MacieStatus()
        raise
    discovery = client.get_automated_discovery_configuration()
    return MacieStatus(status=session.get("status"), automated_discovery=discovery.get("status"))
