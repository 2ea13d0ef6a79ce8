"""EC2: details moto gets wrong that wa-audit's facts read.

- ``RegisterImage`` ignores ``Architecture``, so a registered arm64 AMI launches instances that
  DescribeInstances reports without an architecture (AWS always reports one). The sandbox records
  the architecture AWS would: the one asked for, or ``i386`` (AWS's default for EBS-backed AMIs);
  likewise the root device name, the virtualization type (default ``paravirtual``) and the root
  device type (``ebs``; moto's ``standard`` is not a value AWS has).
- ``StopInstances`` and ``TerminateInstances`` write ``StateTransitionReason`` as
  ``User initiated (2026-10-15 10:00:00 UTC)``; AWS writes ``… GMT)``, and the age of a stopped
  instance is read from that text.
- ``DescribeAddresses`` lists an unassociated Elastic IP with empty ``InstanceId`` and
  ``NetworkInterfaceId``; AWS leaves out what an address is not associated with.
- ``DescribeInstanceTypes`` answers any number of ``InstanceType`` names; AWS takes at most 100
  (botocore's ``RequestInstanceTypeList`` has ``max: 100``, which botocore does not enforce) and
  refuses more with ``InvalidParameterValue``.

The first two are corrected in moto's own in-process model, so every later read
(DescribeInstances, DescribeImages …) agrees; the third in the answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response
from wa_audit.sandbox.state import SandboxState
from wa_audit.sandbox.xml_responses import Element, corrected, namespace_of

handlers = Handlers(service="ec2", signing_name="ec2")
EBS_DEFAULT_ARCHITECTURE = "i386"
MAX_INSTANCE_TYPES = 100


def moto_ec2(account_id: str, region: str) -> Any:
    """moto's EC2 backend for one account and region (the sandbox runs in-process)."""
    from moto.ec2.models import ec2_backends

    return ec2_backends[account_id][region]


@handlers.operation("RegisterImage")
def register_image(request: AwsRequest, state: SandboxState) -> Response:
    from xml.etree import ElementTree

    response = request.forward()
    if response.status_code != 200:
        return response
    document = ElementTree.fromstring(response.get_data())  # noqa: S314 (moto's own answer)
    image_id = document.findtext(f"{{{namespace_of(document)}}}imageId")
    form = request.form()
    image = moto_ec2(request.account_id, request.region).amis[image_id]
    image.architecture = form.get("Architecture", EBS_DEFAULT_ARCHITECTURE)
    image.root_device_type = "instance-store" if "ImageLocation" in form else "ebs"
    image.root_device_name = form.get("RootDeviceName", image.root_device_name)
    image.virtualization_type = form.get("VirtualizationType", "paravirtual")
    return response


def user_initiated_reason(when: datetime) -> str:
    """``StateTransitionReason`` as AWS writes it after a user stops or terminates an instance."""
    return f"User initiated ({when:%Y-%m-%d %H:%M:%S} GMT)"


def _gmt_reason(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code != 200:
        return response
    backend = moto_ec2(request.account_id, request.region)
    ids = [value for key, value in request.form().items() if key.startswith("InstanceId.")]
    for instance_id in ids:
        instance = backend.get_instance(instance_id)
        reason: str = instance._reason
        if reason.endswith(" UTC)"):
            instance._reason = reason[: -len(" UTC)")] + " GMT)"
    return response


handlers.operation("StopInstances")(_gmt_reason)
handlers.operation("TerminateInstances")(_gmt_reason)


@handlers.operation("DescribeAddresses")
def describe_addresses(request: AwsRequest, state: SandboxState) -> Response:
    def drop_empty_members(root: Element, namespace: str) -> None:
        for item in root.iter(f"{{{namespace}}}item"):
            for member in list(item):
                if len(member) == 0 and not (member.text or "").strip() and not _is_list(member):
                    item.remove(member)

    return corrected(request, drop_empty_members)


def _is_list(member: Element) -> bool:
    """An empty ``<tagSet/>`` is an empty list, which AWS does send."""
    return member.tag.endswith("Set")


@handlers.operation("DescribeInstanceTypes")
def describe_instance_types(request: AwsRequest, state: SandboxState) -> Response:
    asked = [key for key in request.form() if key.startswith("InstanceType.")]
    if len(asked) > MAX_INSTANCE_TYPES:
        return error_response(
            request,
            "InvalidParameterValue",
            f"InstanceTypes cannot contain over {MAX_INSTANCE_TYPES} values.",
        )
    return request.forward()
