"""One boto3 session for the whole run: credentials, retries, timeouts, and the API-call counter."""

from __future__ import annotations

import ipaddress
import threading
from collections import Counter
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOTokenLoadError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)
from pydantic import BaseModel, ConfigDict

from wa_audit import __version__
from wa_audit.call_guard import CallGuard, operation_label
from wa_audit.defaults import DEFAULT_CALL_TIMEOUT, DEFAULT_MAX_ATTEMPTS, DEFAULT_READ_TIMEOUT
from wa_audit.errors import CannotAuditError, UsageError

CONNECT_TIMEOUT = 5
IDENTITY_READ_TIMEOUT = 5
"""sts:GetCallerIdentity answers in well under a second; a silent endpoint is reported quickly."""

HOME_REGION = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}

EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})
REJECTED_CODES = frozenset(
    {"InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "AuthFailure"}
)


class Identity(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_id: str
    arn: str
    partition: str

    @property
    def home_region(self) -> str:
        """Where global services (IAM, Budgets, Cost Explorer, Health) answer."""
        return HOME_REGION.get(self.partition, "us-east-1")


class CallCancelledError(Exception):
    """Raised instead of an AWS call once the run is interrupted."""


class CallCounter:
    """Counts every operation boto3 makes, once per call (retries excluded), by region."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str]] = Counter()

    def record(self, model: Any, request_signer: Any = None, **_: Any) -> None:
        action = operation_label(model)
        region = getattr(request_signer, "region_name", None) or "unknown"
        with self._lock:
            self._counts[(action, region)] += 1

    def by_action(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        with self._lock:
            for (action, _region), count in self._counts.items():
                totals[action] += count
        return dict(sorted(totals.items()))

    def by_action_and_region(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._counts)


class InFlightGate:
    """A bound on HTTP requests in flight across sessions and threads.

    A permit is taken before each attempt is sent and given back when its response arrives (not
    held during retry back-off). A thread sends one request at a time, so it holds at most one
    permit; the call's end gives back one that a failed parse left behind.
    """

    def __init__(self, limit: int) -> None:
        self._permits = threading.BoundedSemaphore(limit)
        self._held = threading.local()

    def enter(self, **_: Any) -> None:
        if not getattr(self._held, "permit", False):
            self._permits.acquire()
            self._held.permit = True

    def leave(self, **_: Any) -> None:
        if getattr(self._held, "permit", False):
            self._held.permit = False
            self._permits.release()


class AwsSession:
    """Creates clients lazily from one boto3 session; no network I/O until a client is used."""

    def __init__(
        self,
        profile: str | None = None,
        max_pool_connections: int = 10,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        call_timeout: float = DEFAULT_CALL_TIMEOUT,
        boto_session: boto3.Session | None = None,
    ) -> None:
        """``boto_session`` carries credentials made elsewhere (an assumed role's) instead of
        ``profile``'s."""
        try:
            self._session = boto_session or boto3.Session(profile_name=profile)
        except ProfileNotFound as error:
            raise UsageError(f"AWS profile {profile!r} not found in your AWS config") from error
        self.profile = profile
        self.calls = CallCounter()
        self._session.events.register("before-call", self.calls.record)
        self.guard = CallGuard(call_timeout)
        self.read_timeout = read_timeout
        self.guard.register(self._session.events)
        self._cancelled = threading.Event()
        self._session.events.register("before-call", self._refuse_when_cancelled)
        self._config = Config(
            # total_max_attempts counts the first request too; max_attempts would count retries only.
            retries={"mode": "adaptive", "total_max_attempts": max_attempts},
            connect_timeout=min(CONNECT_TIMEOUT, read_timeout),
            read_timeout=read_timeout,
            max_pool_connections=max_pool_connections,
            user_agent_extra=f"wa-audit/{__version__}",
        )
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def limit_in_flight(self, gate: InFlightGate) -> None:
        """Share one bound on HTTP requests in flight with other sessions (``run --org``).

        On the session, for the clients made from now on, and on each client made already: a
        botocore client copies the session's event handlers when it is created, so the clients
        that listed the organization (and the STS client that assumes the member roles) would
        otherwise go on unbounded.
        """
        with self._lock:
            emitters = [self._session.events, *(c.meta.events for c in self._clients.values())]
        for emitter in emitters:
            emitter.register("before-send", gate.enter)
            for event in ("response-received", "after-call", "after-call-error"):
                emitter.register(event, gate.leave)

    @property
    def data_loader(self) -> Any:
        """botocore's model loader: sessions made from this one share it, so each service model is
        parsed once per run, not once per member account (CPU and memory of ``run --org``)."""
        return self._session._session.get_component("data_loader")

    def cancel(self) -> None:
        """Make every later AWS call of this session fail at once (the run was interrupted)."""
        self._cancelled.set()

    def _refuse_when_cancelled(self, model: Any, **_: Any) -> None:
        if self._cancelled.is_set():
            raise CallCancelledError(f"{model.name} not called: the run was interrupted")

    @property
    def default_region(self) -> str | None:
        return self._session.region_name

    def client(self, service: str, region: str) -> Any:
        """A cached client; boto3 clients are thread-safe, creating them is not."""
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._new_client(service, region, self._config)
            return self._clients[key]

    def _new_client(self, service: str, region: str, config: Config) -> Any:
        client = self._session.client(
            service,  # type: ignore[call-overload]
            region_name=region,
            config=config,
        )
        keep_host_labels_off_local_endpoint(client)
        return client

    def identity(self) -> Identity:
        """Who we are; every credential problem surfaces here, before the audit starts."""
        region = self.default_region or "us-east-1"
        # Few retries here: a wrong endpoint or dead network should fail in seconds, not minutes.
        fail_fast = self._config.merge(
            Config(
                retries={"mode": "standard", "max_attempts": 2},
                read_timeout=min(IDENTITY_READ_TIMEOUT, self.read_timeout),
            )
        )
        try:
            caller = self._new_client("sts", region, fail_fast).get_caller_identity()
        except BotoCoreError as error:
            raise CannotAuditError(describe_connection_error(error, self.profile)) from error
        except ClientError as error:
            raise CannotAuditError(describe_client_error(error)) from error
        arn = caller["Arn"]
        return Identity(account_id=caller["Account"], arn=arn, partition=arn.split(":")[1])


def _is_local_host(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def keep_host_labels_off_local_endpoint(client: Any) -> None:
    """Send requests to a local custom endpoint as given, without an added host label.

    S3 Control's endpoint rules put the account id in the host name (``{AccountId}.s3-control…``),
    whatever ``inject_host_prefix`` says. An endpoint given as an IP address or ``localhost`` (a
    local AWS double such as ``wa-audit demo``'s sandbox) cannot carry such a label: the request
    would go to ``123456789012.127.0.0.1``. For those endpoints only, the label is dropped before
    the request is signed; AWS's own endpoints and named custom endpoints are left alone.
    """
    endpoint = urlsplit(client.meta.endpoint_url)
    if not _is_local_host(endpoint.hostname):
        return

    def drop_label(params: dict[str, Any], **_: Any) -> None:
        url = urlsplit(params["url"])
        _label, _, rest = url.netloc.partition(".")
        if rest == endpoint.netloc:
            params["url"] = urlunsplit(url._replace(netloc=rest))

    client.meta.events.register("before-call", drop_label)


def describe_connection_error(error: BotoCoreError, profile: str | None) -> str:
    login = f"aws sso login --profile {profile}" if profile else "aws sso login"
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return (
            "no AWS credentials found: set AWS_PROFILE or pass --profile, "
            "or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(error, TokenRetrievalError | UnauthorizedSSOTokenError | SSOTokenLoadError):
        return f"the SSO session has expired or is missing: run '{login}'"
    if isinstance(error, EndpointConnectionError | ConnectTimeoutError | ReadTimeoutError):
        return f"cannot reach the AWS endpoint: {error}"
    return f"cannot call AWS: {error}"


def describe_client_error(error: ClientError) -> str:
    code = error.response.get("Error", {}).get("Code", "")
    if code in EXPIRED_CODES:
        return "the AWS credentials have expired: refresh them and run again"
    if code in REJECTED_CODES:
        return f"AWS rejected the credentials ({code}): check the access key or profile"
    message = error.response.get("Error", {}).get("Message", "")
    return f"cannot identify the caller with sts:GetCallerIdentity: {code}: {message}"
