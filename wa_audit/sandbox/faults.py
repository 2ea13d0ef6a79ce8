"""Faults the sandbox can inject: latency (for benchmarks), throttling (for retry tests), and a
service control policy that denies regions."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from werkzeug.wrappers import Request, Response

from wa_audit.sandbox.protocol import AwsRequest, error_response, resolve_operation, service_model
from wa_audit.sandbox.scp import RegionDenyPolicy


@dataclass
class Faults:
    latency_seconds: float = 0.0
    """Added to every AWS request, as a far-away region would."""
    throttles: dict[tuple[str, str], int] = field(default_factory=dict)
    """(botocore service, operation) -> how many of its next calls are throttled."""
    region_deny: RegionDenyPolicy | None = None
    """A service control policy denying whole regions (to the account's every principal)."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def deny_regions(self, regions: list[str], policy_arn: str) -> None:
        self.region_deny = RegionDenyPolicy(policy_arn=policy_arn, regions=frozenset(regions))

    def throttle(self, service: str, operation: str, times: int) -> None:
        with self._lock:
            self.throttles[(service, operation)] = times

    def apply(self, request: Request, body: bytes, signing_name: str) -> Response | None:
        if self.latency_seconds:
            time.sleep(self.latency_seconds)
        if self.region_deny is not None:
            denial = self.region_deny.deny(request, body)
            if denial is not None:
                return denial
        for (service, operation), remaining in list(self.throttles.items()):
            if remaining <= 0 or service_model(service).signing_name != signing_name:
                continue
            if resolve_operation(service, request, body) != operation:
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
