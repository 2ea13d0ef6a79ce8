"""The fact store: fetch each (fact, region) once, concurrently; remember failures with reasons."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from pydantic import ValidationError

from wa_audit.aws import EXPIRED_CODES, AwsSession, Identity, describe_client_error
from wa_audit.errors import CannotAuditError
from wa_audit.facts.base import Fact, FetchContext
from wa_audit.facts.denials import ScpDenial, scp_denial
from wa_audit.interrupts import worker_pool
from wa_audit.models import GLOBAL_REGION

T = TypeVar("T")
log = logging.getLogger(__name__)

ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "AuthorizationError",
        "UnauthorizedAccess",
        "Forbidden",
    }
)
REGION_DISABLED_CODES = frozenset(
    {"OptInRequired", "UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure"}
)
THROTTLING_CODES = frozenset(
    {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"}
)


@dataclass(frozen=True)
class FactFailure:
    """Why a fact could not be fetched; checks that need it report ERROR with this reason."""

    reason: str
    missing_permission: str | None = None
    scp: ScpDenial | None = None
    """Set when a service control policy denied the call (no grant would help)."""


class FactUnavailable(Exception):
    """Raised to a check that reads a fact whose fetch failed."""

    def __init__(self, fact_name: str, region: str, failure: FactFailure) -> None:
        super().__init__(failure.reason)
        self.fact_name = fact_name
        self.region = region
        self.failure = failure


class _Slot:
    """One (fact, region) entry: the first caller fetches, later callers wait for its result."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.failure: FactFailure | None = None


class FactStore:
    def __init__(
        self, session: AwsSession, identity: Identity, now: datetime | None = None
    ) -> None:
        self.session = session
        self.identity = identity
        self.now = now or datetime.now(UTC)
        """The run's start: fetches that query a time window (Cost Explorer) anchor it here."""
        self._slots: dict[tuple[str, str], _Slot] = {}
        self._lock = threading.Lock()
        self.stopped: CannotAuditError | None = None
        """Set when the credentials were lost mid-run: nothing more is fetched after that."""

    def region_for(self, fact_: Fact[Any], region: str) -> str:
        """Global facts live in the partition's home region whatever region asks."""
        return region if fact_.regional else self.identity.home_region

    def seed(self, fact_: Fact[T], region: str, value: T) -> None:
        """Put a known value in the store (unit tests of checks build their facts this way)."""
        slot = _Slot()
        slot.value = value
        self._put(fact_, region, slot)

    def seed_failure(self, fact_: Fact[Any], region: str, failure: FactFailure) -> None:
        slot = _Slot()
        slot.failure = failure
        self._put(fact_, region, slot)

    def _put(self, fact_: Fact[Any], region: str, slot: _Slot) -> None:
        slot.done.set()
        with self._lock:
            self._slots[(fact_.name, region if fact_.regional else GLOBAL_REGION)] = slot

    def get(self, fact_: Fact[T], region: str) -> T:
        fetch_region = self.region_for(fact_, region)
        key = (fact_.name, fetch_region if fact_.regional else GLOBAL_REGION)
        with self._lock:
            slot = self._slots.get(key)
            owner = slot is None
            if slot is None:
                slot = self._slots[key] = _Slot()
        if owner:
            self._fill(slot, fact_, fetch_region)
        else:
            slot.done.wait()
        if slot.failure is not None:
            raise FactUnavailable(fact_.name, key[1], slot.failure)
        value: T = slot.value
        return value

    def _fill(self, slot: _Slot, fact_: Fact[Any], region: str) -> None:
        if self.stopped is not None:
            slot.failure = FactFailure(f"not fetched: the audit stopped ({self.stopped})")
            slot.done.set()
            return
        try:
            slot.value, slot.failure = self._fetch(fact_, region), None
        except FactUnavailable as dependency:
            slot.failure = dependency.failure
        except CannotAuditError as lost:
            self.stopped = self.stopped or lost
            slot.failure = FactFailure(f"not fetched: the audit stopped ({lost})")
            raise
        finally:
            slot.done.set()
        if slot.failure:
            log.debug("fact %s in %s failed: %s", fact_.name, region, slot.failure.reason)

    def _fetch(self, fact_: Fact[Any], region: str) -> Any:
        """The fact's value; AWS errors become a FactUnavailable with the reason."""
        try:
            return fact_.fetch(FetchContext(self, region))
        except (ClientError, BotoCoreError) as error:
            failure = classify_error(error, fact_)
        except ValidationError as error:
            failure = FactFailure(f"unexpected response shape: {error.error_count()} errors")
        raise FactUnavailable(fact_.name, region, failure)

    def prefetch(
        self,
        plan: Iterable[tuple[Fact[Any], str]],
        workers: int,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> CannotAuditError | None:
        """Fetch the whole plan concurrently; failures stay in the store.

        If the credentials are lost midway, what was fetched is kept, everything else is recorded
        as not fetched (so its checks report ERROR), and the reason is returned. On Ctrl-C the
        KeyboardInterrupt goes straight up: nothing queued starts and nothing running is waited
        for (the CLI then leaves without joining the worker threads).
        """
        unique = {(f.name, self.region_for(f, r)): (f, r) for f, r in plan}
        pending = list(unique.values())
        with worker_pool(workers, "fact", on_abandon=self.session.cancel) as pool:
            futures = [pool.submit(self._quiet_get, f, r) for f, r in pending]
            for done, future in enumerate(as_completed(futures), start=1):
                with contextlib.suppress(CannotAuditError):  # kept in self.stopped
                    future.result()
                if on_progress:
                    on_progress(done, len(futures))
        return self.stopped

    def _quiet_get(self, fact_: Fact[Any], region: str) -> None:
        with contextlib.suppress(FactUnavailable):
            self.get(fact_, region)

    def failures(self) -> list[tuple[str, str, FactFailure]]:
        with self._lock:
            return [
                (name, region, slot.failure)
                for (name, region), slot in sorted(self._slots.items())
                if slot.done.is_set() and slot.failure is not None
            ]


def classify_error(error: ClientError | BotoCoreError, fact_: Fact[Any]) -> FactFailure:
    if isinstance(error, ClientError):
        return classify_client_error(error, fact_)
    return classify_botocore_error(error)


def classify_client_error(error: ClientError, fact_: Fact[Any]) -> FactFailure:
    code = error.response.get("Error", {}).get("Code", "Unknown")
    message = error.response.get("Error", {}).get("Message", "")
    operation = error.operation_name
    if code in EXPIRED_CODES:
        raise CannotAuditError(describe_client_error(error)) from error
    if code in ACCESS_DENIED_CODES:
        if (denial := scp_denial(message)) is not None:
            return FactFailure(f"{operation} {denial.reason}", scp=denial)
        action = permission_for(fact_, operation)
        return FactFailure(f"access denied: grant {action}", missing_permission=action)
    if code in REGION_DISABLED_CODES:
        return FactFailure(f"region not enabled or not reachable with these credentials ({code})")
    if code in THROTTLING_CODES:
        return FactFailure(f"throttled by AWS on {operation} after retries ({code})")
    return FactFailure(f"{operation} failed: {code}: {message}".rstrip(": "))


def classify_botocore_error(error: BotoCoreError) -> FactFailure:
    if isinstance(error, NoCredentialsError):
        raise CannotAuditError("the AWS credentials disappeared during the audit") from error
    if isinstance(error, EndpointConnectionError | ConnectTimeoutError | ReadTimeoutError):
        return FactFailure(f"endpoint not reachable: {error}")
    return FactFailure(f"AWS SDK error: {error}")


def permission_for(fact_: Fact[Any], operation: str | None) -> str:
    """The IAM action behind a denied operation, preferring what the fact declared."""
    declared = list(fact_.permissions)
    for dependency in fact_.needs:
        declared.extend(dependency.permissions)
    if operation:
        for action in declared:
            if action.split(":", 1)[1] == operation:
                return action
    if len(fact_.permissions) == 1:  # an action named unlike its operation (s3:ListAllMyBuckets)
        return fact_.permissions[0]
    return " or ".join(declared) if declared else str(operation)
