"""EC2: moto omits ``CpuOptions`` from instances; AWS always returns it.

The sandbox adds it to RunInstances and DescribeInstances answers: the CPU options asked for at
launch, else the instance type's default cores and threads per core (moto's instance type data).
The On-Demand vCPU quotas count exactly this: cores times threads per core.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest
from wa_audit.sandbox.state import SandboxState
from wa_audit.sandbox.xml_responses import Element, edit_xml_response

handlers = Handlers(service="ec2", signing_name="ec2")

CpuOptions = tuple[int, int]  # (cores, threads per core)


def _launched_with(state: SandboxState, account_id: str) -> dict[str, CpuOptions]:
    """Instance id → the CPU options given to RunInstances."""
    return state.area(account_id, "ec2.cpu_options", dict)


def type_default(instance_type: str) -> CpuOptions | None:
    from moto.ec2.models.instance_types import INSTANCE_TYPES

    info = INSTANCE_TYPES.get(instance_type, {}).get("VCpuInfo")
    if not info:
        return None
    return int(info["DefaultCores"]), int(info.get("DefaultThreadsPerCore", 1))


def _add_cpu_options(chosen: dict[str, CpuOptions]) -> Callable[[Element, str], None]:
    def edit(document: Element, namespace: str) -> None:
        def q(tag: str) -> str:
            return f"{{{namespace}}}{tag}" if namespace else tag

        for item in document.iter(q("item")):
            instance_id, instance_type = item.find(q("instanceId")), item.find(q("instanceType"))
            if (
                instance_id is None
                or instance_type is None
                or item.find(q("cpuOptions")) is not None
            ):
                continue
            options = chosen.get(instance_id.text or "") or type_default(instance_type.text or "")
            if options is None:
                continue
            cpu = ElementTree.SubElement(item, q("cpuOptions"))
            ElementTree.SubElement(cpu, q("coreCount")).text = str(options[0])
            ElementTree.SubElement(cpu, q("threadsPerCore")).text = str(options[1])

    return edit


def _requested(request: AwsRequest) -> CpuOptions | None:
    form = request.form()
    if "CpuOptions.CoreCount" not in form:
        return None
    default = type_default(form.get("InstanceType", "m1.small")) or (1, 1)
    threads = form.get("CpuOptions.ThreadsPerCore", default[1])
    return int(form["CpuOptions.CoreCount"]), int(threads)


@handlers.operation("RunInstances")
def run_instances(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code != 200:
        return response
    launched = _launched_with(state, request.account_id)
    options = _requested(request)
    if options is not None:

        def remember(document: Element, namespace: str) -> None:
            for instance_id in document.iter(f"{{{namespace}}}instanceId"):
                launched[instance_id.text or ""] = options

        response = edit_xml_response(response, remember)
    return edit_xml_response(response, _add_cpu_options(launched))


@handlers.operation("DescribeInstances")
def describe_instances(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    if response.status_code != 200:
        return response
    return edit_xml_response(response, _add_cpu_options(_launched_with(state, request.account_id)))
