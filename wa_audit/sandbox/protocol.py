"""AWS wire protocols for the sandbox: which operation a request is, and how AWS would answer.

Operations are resolved with botocore's own service models, so an extension is addressed exactly as
the real service is (JSON target header, query ``Action``, or REST method and URI).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import parse_qs, unquote
from xml.etree import ElementTree

from botocore.loaders import create_loader
from botocore.model import ListShape, OperationModel, ServiceModel, Shape, StructureShape
from werkzeug.wrappers import Request, Response

DEFAULT_ACCOUNT_ID = "123456789012"
_CREDENTIAL_SCOPE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")

SIGNING_NAME_SERVICES = {"monitoring": "cloudwatch"}
"""Signing names that are neither the botocore service's name nor its IAM prefix (both are the
value here); every other service the sandbox answers signs with its IAM prefix."""


@cache
def service_model(service: str) -> ServiceModel:
    """botocore's model of ``service``, read by a bare loader rather than a session: a session
    reads the user's AWS config, and an unknown ``AWS_PROFILE`` (which the demo replaces only after
    the sandbox is imported) would make importing an extension fail."""
    raw = _loader().load_service_model(service, "service-2")
    return ServiceModel(raw, service_name=service)


_loader = cache(create_loader)


def wire_protocol(service: str) -> str:
    """The protocol botocore speaks to ``service``: its first choice among those the model lists.

    Compute Optimizer lists ``smithy-rpc-v2-cbor`` first, yet botocore prefers ``json`` (the
    model's ``protocol`` field would mislead us there).
    """
    model = service_model(service)
    return str(getattr(model, "resolved_protocol", None) or model.protocol)


@dataclass(frozen=True)
class _Route:
    method: str
    path: re.Pattern[str]
    query: tuple[tuple[str, str], ...]
    """What ``requestUri`` puts after ``?``: ``versioning`` (any value) or ``x-id=GetObject``."""
    operation: str

    def matches(self, method: str, path: str, args: Any) -> bool:
        if method != self.method:
            return False
        if not (self.path.match(path) or self.path.match(unquote(path))):
            return False
        return all(key in args and value in ("", args.get(key)) for key, value in self.query)


@cache
def _rest_routes(service: str) -> list[_Route]:
    """Every REST operation's route, most specific first: S3 tells GetBucketVersioning from
    ListObjects (both ``GET /{Bucket}``) only by the query key ``versioning``."""
    model = service_model(service)
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        path, _, query = http["requestUri"].partition("?")
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
        keys = tuple(
            (key, value) for key, _, value in (p.partition("=") for p in query.split("&") if p)
        )
        routes.append(_Route(http["method"], re.compile(f"^{pattern}/?$"), keys, name))
    return sorted(routes, key=lambda route: (-len(route.query), -len(route.path.pattern)))


def resolve_operation(service: str, request: Request, body: bytes) -> str | None:
    """The botocore operation name a request calls on ``service``, or None."""
    protocol = wire_protocol(service)
    if protocol == "json":
        target = request.headers.get("X-Amz-Target", "")
        return target.rsplit(".", 1)[-1] or None
    if protocol in ("query", "ec2"):
        form = parse_qs(body.decode("utf-8", "replace")) if body else {}
        action = form.get("Action") or request.args.getlist("Action")
        return action[0] if action else None
    path = raw_path(request)
    for route in _rest_routes(service):
        if route.matches(request.method, path, request.args):
            return route.operation
    return None


def raw_path(request: Request) -> str:
    """The path as sent: a URI label such as an ARN keeps its encoded ``/`` (``%2F``) here."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.path
    return str(raw).split("?", 1)[0]


@dataclass
class AwsRequest:
    """One parsed request: who (account), where (region), what (service operation)."""

    raw: Request
    body: bytes
    signing_name: str
    region: str
    access_key: str
    account_id: str = DEFAULT_ACCOUNT_ID
    service: str = ""
    operation: str = ""
    forward: Callable[[], Response] = field(default=lambda: Response(status=500))

    def json(self) -> dict[str, Any]:
        return json.loads(self.body or b"{}") if self.body else {}

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    @property
    def operation_model(self) -> OperationModel:
        return service_model(self.service).operation_model(self.operation)


def credential_scope(request: Request) -> tuple[str, str, str] | None:
    """(access key, region, signing name) from the SigV4 Authorization header."""
    match = _CREDENTIAL_SCOPE.search(request.headers.get("Authorization", ""))
    return (match.group(1), match.group(2), match.group(3)) if match else None


def json_response(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, default=str), status=status, content_type="application/x-amz-json-1.1"
    )


def error_response(request: AwsRequest, code: str, message: str, status: int = 400) -> Response:
    """An error as the service's protocol shapes it, so botocore raises the right ClientError."""
    protocol = wire_protocol(request.service)
    if protocol in ("query", "ec2"):
        xml = (
            "<ErrorResponse><Error><Type>Sender</Type>"
            f"<Code>{code}</Code><Message>{message}</Message></Error>"
            "<RequestId>wa-audit-sandbox</RequestId></ErrorResponse>"
        )
        return Response(xml, status=status, content_type="text/xml")
    if protocol == "rest-xml":
        return rest_xml_error(code, message, status)
    body = {"__type": code, "message": message, "Message": message}
    response = json_response(body, status)
    response.headers["X-Amzn-ErrorType"] = code
    return response


def rest_xml_error(code: str, message: str, status: int) -> Response:
    """S3's error document, which S3 Control shares and botocore's rest-xml parser reads
    (https://docs.aws.amazon.com/AmazonS3/latest/dev/UsingRESTError.html)."""
    root = ElementTree.Element("Error")
    ElementTree.SubElement(root, "Code").text = code
    ElementTree.SubElement(root, "Message").text = message
    ElementTree.SubElement(root, "RequestId").text = "wa-audit-sandbox"
    body = ElementTree.tostring(root, encoding="unicode")
    return Response(body, status=status, content_type="application/xml")


def _xml_value(parent: ElementTree.Element, shape: Shape, value: Any) -> None:
    """Serialize ``value`` under ``parent`` as the query protocol does for ``shape``."""
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            if name in value:
                child = ElementTree.SubElement(parent, member.serialization.get("name", name))
                _xml_value(child, member, value[name])
    elif isinstance(shape, ListShape):
        for item in value:
            child = ElementTree.SubElement(parent, shape.member.serialization.get("name", "member"))
            _xml_value(child, shape.member, item)
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    else:
        parent.text = str(value)


def query_response(request: AwsRequest, body: dict[str, Any]) -> Response:
    """A query-protocol (XML) answer to ``request``, shaped by the operation's output shape."""
    operation = request.operation_model
    namespace = service_model(request.service).metadata.get("xmlNamespace", "")
    root = ElementTree.Element(f"{operation.name}Response", xmlns=namespace)
    result = root
    if operation.output_shape is not None:
        wrapper = operation.output_shape.serialization.get("resultWrapper")
        result = ElementTree.SubElement(root, wrapper) if wrapper else root
        _xml_value(result, operation.output_shape, body)
    metadata = ElementTree.SubElement(root, "ResponseMetadata")
    ElementTree.SubElement(metadata, "RequestId").text = "wa-audit-sandbox"
    return Response(ElementTree.tostring(root, encoding="unicode"), content_type="text/xml")
