"""IAM: moto reports root MFA and root keys as absent whatever the account.

The sandbox keeps the root user's state and corrects ``GetAccountSummary`` from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="iam", signing_name="iam")
_NS = "https://iam.amazonaws.com/doc/2010-05-08/"


@dataclass
class RootUser:
    """The root user as the account has it; moto has no root user at all."""

    mfa: str | None = None  # None, "virtual" or "hardware"
    access_keys: int = 0


def root_user(state: SandboxState, account_id: str) -> RootUser:
    return state.area(account_id, "iam.root", RootUser)


@handlers.operation("GetAccountSummary")
def get_account_summary(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    root = root_user(state, request.account_id)
    corrected = {
        "AccountMFAEnabled": "1" if root.mfa else "0",
        "AccountAccessKeysPresent": "1" if root.access_keys else "0",
    }
    document = ElementTree.fromstring(response.get_data())  # noqa: S314 (moto's own answer)
    for entry in document.iter(f"{{{_NS}}}entry"):
        key = entry.find(f"{{{_NS}}}key")
        value = entry.find(f"{{{_NS}}}value")
        if key is not None and value is not None and key.text in corrected:
            value.text = corrected[key.text]
    ElementTree.register_namespace("", _NS)
    response.set_data(ElementTree.tostring(document, xml_declaration=True, encoding="utf-8"))
    return response
