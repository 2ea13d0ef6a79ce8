"""Macie: AWS's answer where it is off, and automated sensitive data discovery (moto has neither).

moto enables Macie in every region from the start; on AWS it is off until ``EnableMacie``, so the
sandbox keeps which regions enabled it. Where Macie is not enabled, AWS answers ``GetMacieSession`` (and every other Macie call) with
``AccessDeniedException`` "Macie is not enabled." (moto says ResourceNotFoundException).
``GetAutomatedDiscoveryConfiguration`` answers ``status`` (``ENABLED``/``DISABLED``) and, per the
botocore macie2 model, the timestamps of its first enabling and last change; the sandbox starts it
``DISABLED`` and scenarios set it with ``UpdateAutomatedDiscoveryConfiguration``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="macie2", signing_name="macie2")
NOT_ENABLED = "Macie is not enabled."


@dataclass
class Discovery:
    status: str = "DISABLED"
    first_enabled: datetime | None = None
    updated: datetime | None = None


@dataclass
class Macie:
    """Per region: present once enabled, with its automated discovery settings."""

    by_region: dict[str, Discovery] = field(default_factory=dict)


def _macie(state: SandboxState, request: AwsRequest) -> dict[str, Discovery]:
    return state.area(request.account_id, "macie2", Macie).by_region


def _discovery(state: SandboxState, request: AwsRequest) -> Discovery:
    return _macie(state, request)[request.region]


def _enabled(state: SandboxState, request: AwsRequest) -> bool:
    return request.region in _macie(state, request)


def _not_enabled(request: AwsRequest) -> Response:
    return error_response(request, "AccessDeniedException", NOT_ENABLED, 403)


@handlers.operation("EnableMacie")
def enable_macie(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code == 200:
        _macie(state, request).setdefault(request.region, Discovery())
    return response


@handlers.operation("DisableMacie")
def disable_macie(request: AwsRequest, state: SandboxState) -> Response:
    if not _enabled(state, request):
        return _not_enabled(request)
    del _macie(state, request)[request.region]
    return request.forward()


@handlers.operation("GetMacieSession")
def get_macie_session(request: AwsRequest, state: SandboxState) -> Response:
    return request.forward() if _enabled(state, request) else _not_enabled(request)


@handlers.operation("GetAutomatedDiscoveryConfiguration")
def get_configuration(request: AwsRequest, state: SandboxState) -> Response:
    if not _enabled(state, request):
        return _not_enabled(request)
    found = _discovery(state, request)
    body: dict[str, str] = {"status": found.status, "autoEnableOrganizationMembers": "NONE"}
    for key, moment in (("firstEnabledAt", found.first_enabled), ("lastUpdatedAt", found.updated)):
        if moment is not None:
            body[key] = moment.isoformat().replace("+00:00", "Z")
    if found.status == "DISABLED" and found.updated is not None:
        body["disabledAt"] = found.updated.isoformat().replace("+00:00", "Z")
    return json_response(body)


@handlers.operation("UpdateAutomatedDiscoveryConfiguration")
def update_configuration(request: AwsRequest, state: SandboxState) -> Response:
    if not _enabled(state, request):
        return _not_enabled(request)
    found = _discovery(state, request)
    found.status = request.json()["status"]
    found.updated = datetime.now(UTC)
    if found.status == "ENABLED" and found.first_enabled is None:
        found.first_enabled = found.updated
    return json_response({})
