"""Faults the sandbox can inject: latency (benchmarks), throttling (retries), broken answers.

Broken answers are what a proxy, an outage or a cut connection hand an auditor: an HTML error page
(or an HTML page with HTTP 200, as a captive portal sends), a body cut short, a body that is not the protocol's, a response without a member AWS promises, an
endpoint that accepts the request and never answers. Each is set per (service, operation), so a
test can break exactly one call of a whole audit and compare the rest with a clean run. A service
control policy that denies whole regions is modelled too (``deny_regions``).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Literal, TypeVar
from xml.etree import ElementTree

from werkzeug.wrappers import Request, Response

from wa_audit.sandbox.protocol import AwsRequest, error_response, resolve_operation, service_model
from wa_audit.sandbox.scp import RegionDenyPolicy

V = TypeVar("V")
Breakage = Literal[
    "html-500", "html-200", "truncated", "garbage", "short-body", "missing-key", "hang"
]
BREAKAGES: tuple[Breakage, ...] = (
    "html-500",
    "html-200",
    "truncated",
    "garbage",
    "short-body",
    "missing-key",
    "hang",
)
HANG_LIMIT_SECONDS = 120.0
"""A hanging request is answered (500) after this, or when the faults are released, if sooner."""
HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n"
    b"<body><h1>Internal Server Error</h1>\n<p>The proxy could not reach the service.</p>\n"
    + b"<!-- padding -->\n" * 200
    + b"</body></html>\n"
)


@dataclass(frozen=True)
class Break:
    """How one operation's answers are broken; ``key`` is the wire name ``missing-key`` drops."""

    breakage: Breakage
    key: str | None = None


@dataclass
class Faults:
    latency_seconds: float = 0.0
    """Added to every AWS request, as a far-away region would."""
    throttles: dict[tuple[str, str], int] = field(default_factory=dict)
    """(botocore service, operation) -> how many of its next calls are throttled."""
    region_deny: RegionDenyPolicy | None = None
    """A service control policy denying whole regions (to the account's every principal)."""
    breaks: dict[tuple[str, str], Break] = field(default_factory=dict)
    """(botocore service, operation) -> how every call of it is answered."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _released: threading.Event = field(default_factory=threading.Event, repr=False)

    def deny_regions(self, regions: list[str], policy_arn: str) -> None:
        self.region_deny = RegionDenyPolicy(policy_arn=policy_arn, regions=frozenset(regions))

    def throttle(self, service: str, operation: str, times: int) -> None:
        with self._lock:
            self.throttles[(service, operation)] = times

    def break_operation(
        self, service: str, operation: str, breakage: Breakage, key: str | None = None
    ) -> None:
        if breakage == "missing-key" and not key:
            raise ValueError("missing-key needs the key to drop")
        with self._lock:
            self.breaks[(service, operation)] = Break(breakage, key)

    def release(self) -> None:
        """Answer every hanging request now (the sandbox is reset or stopped)."""
        self._released.set()

    def _matching(
        self, request: Request, body: bytes, signing_name: str, table: dict[tuple[str, str], V]
    ) -> list[tuple[str, str, V]]:
        """The entries of ``table`` whose (service, operation) this request calls."""
        found = []
        for (service, operation), value in list(table.items()):
            if service_model(service).signing_name != signing_name:
                continue
            if resolve_operation(service, request, body) == operation:
                found.append((service, operation, value))
        return found

    def apply(self, request: Request, body: bytes, signing_name: str) -> Response | None:
        """An answer that replaces the service's: throttling, an HTML page, or none (a hang)."""
        if self.latency_seconds:
            time.sleep(self.latency_seconds)
        if self.region_deny is not None:
            denial = self.region_deny.deny(request, body)
            if denial is not None:
                return denial
        for _service, _operation, broken in self._matching(
            request, body, signing_name, self.breaks
        ):
            if broken.breakage == "hang":
                self._released.wait(HANG_LIMIT_SECONDS)
                return Response(HTML_PAGE, status=500, content_type="text/html")
            if broken.breakage in ("html-500", "html-200"):
                status = 500 if broken.breakage == "html-500" else 200  # 200: a captive portal
                return Response(HTML_PAGE, status=status, content_type="text/html")
        for service, operation, remaining in self._matching(
            request, body, signing_name, self.throttles
        ):
            if remaining <= 0:
                continue
            with self._lock:
                self.throttles[(service, operation)] -= 1
            protocol = service_model(service).protocol
            code = "Throttling" if protocol in ("query", "ec2") else "ThrottlingException"
            fake = AwsRequest(
                raw=request, body=body, signing_name=signing_name, region="", access_key=""
            )
            fake.service = service
            return error_response(fake, code, "Rate exceeded", status=400)
        return None

    def corrupt(
        self, request: Request, body: bytes, signing_name: str, response: Response
    ) -> Response:
        """The service's own answer, broken as asked for its operation."""
        for _service, _operation, broken in self._matching(
            request, body, signing_name, self.breaks
        ):
            return corrupted(response, broken)
        return response


def corrupted(response: Response, broken: Break) -> Response:
    data = response.get_data()
    headers = {
        k: v
        for k, v in response.headers.items()
        if k.lower() not in ("content-length", "connection")
    }
    if broken.breakage == "truncated":
        return Response(data[: len(data) // 2], status=response.status_code, headers=headers)
    if broken.breakage == "garbage":
        return Response(b"\x00garbage{not json<", status=response.status_code, headers=headers)
    if broken.breakage == "missing-key" and broken.key:
        return Response(without_key(data, broken.key), status=response.status_code, headers=headers)
    if broken.breakage == "short-body":
        short = Response(data[: len(data) // 2], status=response.status_code, headers=headers)
        short.headers["Content-Length"] = str(len(data))
        short.headers["Connection"] = "close"  # else the client waits for the rest
        return short
    return response


def without_key(data: bytes, key: str) -> bytes:
    """``data`` (a JSON object or an XML document) without the member named ``key``."""
    try:
        parsed = json.loads(data)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        parsed.pop(key, None)
        return json.dumps(parsed).encode()
    root = ElementTree.fromstring(data)  # noqa: S314 (our own sandbox's answer)
    for parent in root.iter():
        for child in list(parent):
            if child.tag.rsplit("}", 1)[-1] == key:
                parent.remove(child)
    return ElementTree.tostring(root)
