"""EC2: what moto leaves out of the VPN and snapshot answers the network checks read.

- ``DescribeVpnConnections`` has no ``vgwTelemetry``; AWS reports both tunnels of every
  connection, each with its outside IP, ``UP``/``DOWN`` status and last change. The sandbox adds
  them: the status a scenario set (:func:`set_tunnels`), else ``DOWN`` as AWS shows a new
  connection until the customer gateway brings its tunnels up.
- ``DescribeSnapshots`` ignores ``OwnerIds`` and ``RestorableByUserIds``; AWS narrows the list to
  those owners (``self`` = the caller) and to snapshots those accounts may restore (``all`` =
  public ones). The sandbox applies both to moto's answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from xml.etree import ElementTree

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.extensions.ec2 import moto_ec2
from wa_audit.sandbox.protocol import AwsRequest
from wa_audit.sandbox.state import SandboxState
from wa_audit.sandbox.xml_responses import Element, corrected

handlers = Handlers(service="ec2", signing_name="ec2")
TUNNELS_AREA = "ec2.vpn_tunnels"
TUNNELS_PER_CONNECTION = 2
LAST_CHANGE = "2026-01-01T00:00:00.000Z"


def _tunnels(state: SandboxState, account_id: str) -> dict[str, tuple[str, ...]]:
    return state.area(account_id, TUNNELS_AREA, dict)


def set_tunnels(state: SandboxState, account_id: str, vpn_id: str, statuses: Sequence[str]) -> None:
    """What the customer gateway achieved: ``UP`` or ``DOWN`` per tunnel, in order."""
    _tunnels(state, account_id)[vpn_id] = tuple(statuses)


def _outside_ip(vpn_id: str, tunnel: int) -> str:
    """A stable, documentation-range address per tunnel (AWS gives each tunnel its own)."""
    digest = hashlib.sha256(f"{vpn_id}/{tunnel}".encode()).digest()
    return f"198.51.100.{digest[0] % 250 + 1 + tunnel}"


@handlers.operation("DescribeVpnConnections")
def describe_vpn_connections(request: AwsRequest, state: SandboxState) -> Response:
    chosen = _tunnels(state, request.account_id)

    def add_telemetry(document: Element, namespace: str) -> None:
        def q(tag: str) -> str:
            return f"{{{namespace}}}{tag}" if namespace else tag

        for item in document.iter(q("item")):
            vpn_id = item.findtext(q("vpnConnectionId"))
            if not vpn_id or item.find(q("vgwTelemetry")) is not None:
                continue
            statuses = chosen.get(vpn_id, ("DOWN",) * TUNNELS_PER_CONNECTION)
            telemetry = ElementTree.SubElement(item, q("vgwTelemetry"))
            for index, status in enumerate(statuses):
                tunnel = ElementTree.SubElement(telemetry, q("item"))
                ElementTree.SubElement(tunnel, q("acceptedRouteCount")).text = "0"
                ElementTree.SubElement(tunnel, q("lastStatusChange")).text = LAST_CHANGE
                ElementTree.SubElement(tunnel, q("outsideIpAddress")).text = _outside_ip(
                    vpn_id, index
                )
                ElementTree.SubElement(tunnel, q("status")).text = status
                ElementTree.SubElement(tunnel, q("statusMessage")).text = ""

    return corrected(request, add_telemetry)


def _listed(form: dict[str, str], prefix: str) -> list[str]:
    return [value for key, value in form.items() if key.startswith(f"{prefix}.")]


@handlers.operation("DescribeSnapshots")
def describe_snapshots(request: AwsRequest, state: SandboxState) -> Response:
    form = request.form()
    owners = [request.account_id if o == "self" else o for o in _listed(form, "Owner")]
    restorable = _listed(form, "RestorableBy")
    if not owners and not restorable:
        return request.forward()
    backend = moto_ec2(request.account_id, request.region)

    def wanted(snapshot_id: str) -> bool:
        snapshot = backend.snapshots.get(snapshot_id)
        if snapshot is None:
            return False
        if owners and snapshot.owner_id not in owners:
            return False
        if not restorable:
            return True
        groups = snapshot.create_volume_permission_groups
        users = snapshot.create_volume_permission_userids
        return any(
            ("all" in groups)
            if who == "all"
            else (who in users or (who == "self" and snapshot.owner_id == request.account_id))
            for who in restorable
        )

    def keep_wanted(document: Element, namespace: str) -> None:
        def q(tag: str) -> str:
            return f"{{{namespace}}}{tag}" if namespace else tag

        listing = document.find(q("snapshotSet"))
        if listing is None:
            return
        for item in list(listing):
            if not wanted(item.findtext(q("snapshotId")) or ""):
                listing.remove(item)

    return corrected(request, keep_wanted)
