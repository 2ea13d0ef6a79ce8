"""Guards on every AWS call: a body that cannot be what AWS sent is an error, retries end in time.

botocore reads some broken answers as empty ones: its JSON parsers turn a body that is not JSON
into ``{"message": <body>}`` and then find none of the output's members, so a garbage body from
GuardDuty reads as "no detector". It also accepts a body shorter than its ``Content-Length``
(``enforce_content_length=False`` in ``botocore/httpsession.py``). These hooks check the raw body
before botocore parses it, bound the total time spent retrying one call, and remember the last
operation each thread called, so a failure can name the operation it came from.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any
from xml.etree import ElementTree

from botocore.exceptions import BotoCoreError, ClientError

JSON_PROTOCOLS = frozenset({"json", "rest-json"})
XML_PROTOCOLS = frozenset({"query", "ec2", "rest-xml"})
WRAPPED_PROTOCOLS = frozenset({"query", "ec2"})
"""Protocols whose every answer is an ``<OperationResponse>`` document, even an empty one."""
_STARTED = "wa_audit_started"

# IAM action prefixes that differ from the service's signing name.
_IAM_PREFIX = {"monitoring": "cloudwatch", "tagging": "tag"}
"""Where a service's IAM prefix differs from its signing name (the Resource Groups Tagging API
signs as ``tagging`` and authorizes ``tag:`` actions)."""


_thread = threading.local()


def last_operation() -> str | None:
    """The operation this thread called last (what a fetch was doing when it failed)."""
    return getattr(_thread, "operation", None)


def swap_last_operation(operation: str | None) -> str | None:
    """Set this thread's last operation; returns the one it replaces (nested fetches)."""
    previous = last_operation()
    _thread.operation = operation
    return previous


class MalformedResponseError(BotoCoreError):
    """AWS's answer cannot be read as the protocol says; never an empty answer."""

    fmt = "{operation}: malformed response (HTTP {status}): {problem}"


def iam_prefix(signing_name: str) -> str:
    return _IAM_PREFIX.get(signing_name, signing_name)


def operation_label(operation_model: Any) -> str:
    """``service:Operation`` with the IAM prefix of the service (``cloudwatch``, not ``monitoring``)."""
    return f"{iam_prefix(operation_model.service_model.signing_name)}:{operation_model.name}"


def _raw_payload(output: Any) -> bool:
    """The body is a member's bytes or text as they are (an S3 object, a bucket policy)."""
    payload = output.serialization.get("payload") if output is not None else None
    return payload is not None and output.members[payload].type_name in ("blob", "string")


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xml_problem(operation_model: Any, body: bytes) -> str | None:
    """Why ``body`` cannot be this operation's XML answer, or None if it can.

    The query and EC2 protocols wrap every answer in ``<OperationResponse>`` (botocore's
    ``QueryParser`` and ``EC2QueryParser`` read the result inside it without checking its name),
    so any other root is not the answer: an HTML page with HTTP 200 from a captive portal or a
    proxy would otherwise parse as an answer listing nothing. botocore's rest-xml models do not
    name their root elements (``ListAllMyBucketsResult`` is in no shape), so there only an HTML
    page is refused.
    """
    try:
        root = ElementTree.fromstring(body)  # noqa: S314 (parsed only to check its shape)
    except ElementTree.ParseError:
        return "body is not valid XML"
    name = _local_name(root.tag)
    protocol = operation_model.service_model.resolved_protocol
    if protocol in WRAPPED_PROTOCOLS:
        expected = f"{operation_model.name}Response"
        if name != expected:
            return f"root element is {name[:40]!r}, not {expected!r}"
    elif name.lower() == "html":
        return "body is an HTML page, not XML"
    return None


def body_problem(operation_model: Any, response_dict: dict[str, Any]) -> str | None:
    """Why this raw response cannot be a complete answer of its protocol, or None if it can."""
    body = response_dict.get("body")
    if not isinstance(body, bytes):  # streamed output: read by the caller, not parsed here
        return None
    headers = response_dict.get("headers") or {}
    declared = str(headers.get("content-length", "")).strip()
    if declared.isdigit() and int(declared) != len(body):
        return f"body is {len(body)} bytes, Content-Length says {declared}"
    encoded = str(headers.get("content-encoding", "identity")).lower() not in ("", "identity")
    raw_payload = _raw_payload(operation_model.output_shape)
    if response_dict.get("status_code", 200) >= 300 or encoded or raw_payload:
        return None  # error bodies are parsed leniently by botocore and reported with the status
    protocol = operation_model.service_model.resolved_protocol
    if not body.strip():  # query and EC2 always wrap the answer; others may answer nothing
        return "body is empty" if protocol in WRAPPED_PROTOCOLS else None
    if protocol in JSON_PROTOCOLS:
        try:
            parsed = json.loads(body)
        except ValueError:
            return "body is not valid JSON"
        return None if isinstance(parsed, dict) else "body is not a JSON object"
    if protocol in XML_PROTOCOLS:
        return xml_problem(operation_model, body)
    return None


class CallGuard:
    """botocore event hooks shared by every client of a session."""

    def __init__(self, call_timeout: float) -> None:
        self.call_timeout = call_timeout
        """Seconds one call may spend over all its attempts before the last error is raised."""

    def register(self, events: Any) -> None:
        events.register("before-call", self.started)
        events.register("needs-retry", self.stop_retrying_late)
        events.register("before-parse", self.check_body)

    def started(self, model: Any, context: dict[str, Any], **_: Any) -> None:
        _thread.operation = operation_label(model)
        context[_STARTED] = time.monotonic()

    def stop_retrying_late(
        self,
        request_dict: dict[str, Any],
        operation: Any,
        response: Any = None,
        caught_exception: BaseException | None = None,
        **_: Any,
    ) -> None:
        """Past the call's time budget, raise what the last attempt got instead of retrying.

        botocore retries (and sleeps) when a handler returns a delay; raising here ends the call
        with the same error botocore would raise once out of attempts.
        """
        started = request_dict.get("context", {}).get(_STARTED)
        if started is None or time.monotonic() - started < self.call_timeout:
            return
        if caught_exception is not None:
            raise caught_exception
        if response is not None and "Error" in response[1]:
            raise ClientError(response[1], operation.name)

    def check_body(self, operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        problem = body_problem(operation_model, response_dict)
        if problem is not None:
            raise MalformedResponseError(
                operation=operation_label(operation_model),
                status=response_dict.get("status_code"),
                problem=problem,
            )
