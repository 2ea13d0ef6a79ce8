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

handlers = Handlers(service="ec2", signing_name="ec2")

CpuOptions = tuple[int, int]  # (cores, threads per core)


def _launched_with(state: SandboxState, account_id: str) -> dict[str, CpuOptions]:
    """Instance id → the CPU options given to RunInstances."""
    return state.area(account_id, "ec2.cpu_options", dict)


def _type_default(instance_type: str) -> CpuOptions | None:
    from moto.ec2.models.instance_types import INSTANCE_TYPES

    info = INSTANCE_TYPES.get(instance_type, {}).get("VCpuInfo")
    if not info:
        return None
    return int(info["DefaultCores"]), int(info.get("DefaultThreadsPerCore", 1))


def _namespace(document: ElementTree.Element) -> str:
    """moto's EC2 namespace (with or without the trailing slash, by operation)."""
    return document.tag[1:].split("}")[0] if document.tag.startswith("{") else ""


def _parse(response: Response) -> tuple[ElementTree.Element, Callable[[str], str]]:
    document = ElementTree.fromstring(response.get_data())  # noqa: S314 (moto's own answer)
    namespace = _namespace(document)
    return document, lambda tag: f"{{{namespace}}}{tag}"


def _with_cpu_options(response: Response, chosen: dict[str, CpuOptions]) -> Response:
    if response.status_code != 200:
        return response
    document, _q = _parse(response)
    for item in document.iter(_q("item")):
        instance_id, instance_type = item.find(_q("instanceId")), item.find(_q("instanceType"))
        if instance_id is None or instance_type is None or item.find(_q("cpuOptions")) is not None:
            continue
        options = chosen.get(instance_id.text or "") or _type_default(instance_type.text or "")
        if options is None:
            continue
        cpu = ElementTree.SubElement(item, _q("cpuOptions"))
        ElementTree.SubElement(cpu, _q("coreCount")).text = str(options[0])
        ElementTree.SubElement(cpu, _q("threadsPerCore")).text = str(options[1])
    ElementTree.register_namespace("", _namespace(document))
    response.set_data(ElementTree.tostring(document, xml_declaration=True, encoding="utf-8"))
    return response


@handlers.operation("RunInstances")
def run_instances(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    form = request.form()
    if response.status_code == 200 and "CpuOptions.CoreCount" in form:
        default = _type_default(form.get("InstanceType", "m1.small")) or (1, 1)
        threads = form.get("CpuOptions.ThreadsPerCore", default[1])
        options = (int(form["CpuOptions.CoreCount"]), int(threads))
        document, _q = _parse(response)
        launched = _launched_with(state, request.account_id)
        for instance_id in document.iter(_q("instanceId")):
            launched[instance_id.text or ""] = options
    return _with_cpu_options(response, _launched_with(state, request.account_id))


@handlers.operation("DescribeInstances")
def describe_instances(request: AwsRequest, state: SandboxState) -> Response:
    return _with_cpu_options(request.forward(), _launched_with(state, request.account_id))
