"""Reading and writing the XML of query-protocol services (SNS, EC2, IAM …) in extensions."""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

from wa_audit.sandbox.protocol import AwsRequest

Element = ElementTree.Element
XmlEdit = Callable[[Element, str], None]


def namespace_of(element: Element) -> str:
    """``http://sns.amazonaws.com/doc/2010-03-31/`` from ``{…}ListSubscriptionsResponse``."""
    return element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""


def edit_xml_response(response: Response, edit: XmlEdit) -> Response:
    """Let ``edit`` change moto's XML answer in place (it gets the root and its namespace).

    The document keeps its default namespace, without ElementTree's process-wide
    ``register_namespace`` (requests are served on several threads).
    """
    document = ElementTree.fromstring(response.get_data())  # noqa: S314 (moto's own answer)
    namespace = namespace_of(document)
    edit(document, namespace)
    body = ElementTree.tostring(document, encoding="unicode", default_namespace=namespace or None)
    response.set_data(body.encode("utf-8"))
    return response


def corrected(request: AwsRequest, edit: XmlEdit) -> Response:
    """moto's answer to ``request`` with ``edit`` applied; its errors pass through untouched."""
    response = request.forward()
    if response.status_code != 200:
        return response
    return edit_xml_response(response, edit)


def query_result(operation: str, namespace: str, members: dict[str, str]) -> Response:
    """A query-protocol success answer whose result has only string members."""
    fields = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in members.items())
    body = (
        f'<{operation}Response xmlns="{namespace}"><{operation}Result>{fields}</{operation}Result>'
        f"<ResponseMetadata><RequestId>wa-audit-sandbox</RequestId></ResponseMetadata>"
        f"</{operation}Response>"
    )
    return Response(body, status=200, content_type="text/xml")
