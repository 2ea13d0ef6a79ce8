"""moto's IAM denials in the shape the service's protocol uses.

With IAM enforcement on, moto refuses a request with a query-protocol XML error whatever the
service; a JSON-protocol client (EventBridge, AWS Config, Account …) cannot read it and sees only
"403". AWS answers those services in JSON with ``AccessDeniedException``; so does the sandbox.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree

from werkzeug.wrappers import Request, Response

_JSON_CODES = {"AccessDenied": "AccessDeniedException"}


def speaks_json(request: Request) -> bool:
    """``awsJson`` requests carry ``X-Amz-Target``; ``restJson`` ones a JSON body."""
    content_type = request.headers.get("Content-Type", "")
    return "X-Amz-Target" in request.headers or content_type.startswith(
        ("application/json", "application/x-amz-json")
    )


def as_json_error(response: Response) -> Response:
    """The same error as JSON, if moto answered a JSON request with an XML error; else unchanged."""
    body = response.get_data()
    if response.status_code < 400 or b"<ErrorResponse" not in body[:200]:
        return response
    try:
        document = ElementTree.fromstring(body)  # noqa: S314 (moto's own answer)
    except ElementTree.ParseError:
        return response
    code = document.findtext(".//Code") or "UnknownError"
    message = document.findtext(".//Message") or ""
    code = _JSON_CODES.get(code, code)
    fixed = Response(
        json.dumps({"__type": code, "message": message}),
        status=response.status_code,
        content_type="application/x-amz-json-1.1",
    )
    fixed.headers["X-Amzn-ErrorType"] = code
    return fixed
