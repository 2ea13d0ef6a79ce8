"""The fact store: fetch each (fact, region) once, concurrently; remember failures with reasons."""

from __future__ import annotations

import contextlib
import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Iterable
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
from wa_audit.call_guard import MalformedResponseError, last_operation, swap_last_operation
from wa_audit.defaults import MAX_RUN_TIMEOUT
from wa_audit.errors import CannotAuditError, UsageError
from wa_audit.facts.base import Fact, FetchContext
from wa_audit.facts.denials import ScpDenial, scp_denial
from wa_audit.models import GLOBAL_REGION
from wa_audit.reasons import error_answer, error_code, one_line

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


@dataclass(frozen=True)
class Deadline:
    """When the run's ``--timeout`` expires, on the ``time.monotonic()`` clock."""

    seconds: float
    at: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        """A deadline ``seconds`` from now; ``nan`` or no time at all is a usage error (the
        command line and the config refuse them first; this guards the library API)."""
        if math.isnan(seconds) or seconds <= 0:
            raise UsageError(f"timeout must be a positive number of seconds, not {seconds!r}")
        return cls(seconds, time.monotonic() + seconds)

    def left(self) -> float:
        """Seconds to go, never negative, and never more than a thread can wait for (a longer
        wait raises OverflowError); past that bound the run is unlimited in practice."""
        return min(max(0.0, self.at - time.monotonic()), MAX_RUN_TIMEOUT)


class FactUnavailable(Exception):
    """Raised to a check that reads a fact whose fetch failed."""

    def __init__(self, fact_name: str, region: str, failure: FactFailure) -> None:
        super().__init__(failure.reason)
        self.fact_name = fact_name
        self.region = region
        self.failure = failure


class _Slot:
    """One (fact, region) entry: the first caller fetches, later callers wait for its result.

    A slot is finished once, with a value or a failure: a fetch that ends any other way (an
    exception of no known kind, an interrupt, the run's deadline) still leaves a failure, so no
    reader ever sees a finished slot without either.
    """

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.failure: FactFailure | None = None
        self._finish = threading.Lock()

    def finish(self, value: Any = None, failure: FactFailure | None = None) -> bool:
        """Record the outcome unless one is already there (the deadline came first)."""
        with self._finish:
            if self.done.is_set():
                return False
            self.value, self.failure = value, failure
            self.done.set()
            return True


class FactStore:
    def __init__(
        self,
        session: AwsSession,
        identity: Identity,
        now: datetime | None = None,
        deadline: Deadline | None = None,
    ) -> None:
        self.session = session
        self.identity = identity
        self.now = now or datetime.now(UTC)
        """The run's start: fetches that query a time window (Cost Explorer) anchor it here."""
        self._slots: dict[tuple[str, str], _Slot] = {}
        self._lock = threading.Lock()
        self.stopped: CannotAuditError | None = None
        """Set when the credentials were lost mid-run: nothing more is fetched after that."""
        self.deadline = deadline
        self.timed_out: str | None = None
        """Set when the deadline passed: the reason every fact not fetched by then gets."""

    def region_for(self, fact_: Fact[Any], region: str) -> str:
        """Global facts live in the partition's home region whatever region asks."""
        return region if fact_.regional else self.identity.home_region

    def seed(self, fact_: Fact[T], region: str, value: T) -> None:
        """Put a known value in the store (unit tests of checks build their facts this way)."""
        slot = _Slot()
        slot.finish(value=value)
        self._put(fact_, region, slot)

    def seed_failure(self, fact_: Fact[Any], region: str, failure: FactFailure) -> None:
        slot = _Slot()
        slot.finish(failure=failure)
        self._put(fact_, region, slot)

    def _put(self, fact_: Fact[Any], region: str, slot: _Slot) -> None:
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
        not_fetched = self._not_fetched_reason()
        if not_fetched is not None:
            slot.finish(failure=FactFailure(not_fetched))
            return
        try:
            slot.finish(value=self._fetch(fact_, region))
        except FactUnavailable as unavailable:
            slot.finish(failure=unavailable.failure)
        except CannotAuditError as lost:
            self.stopped = self.stopped or lost
            slot.finish(failure=FactFailure(f"not fetched: the audit stopped ({lost})"))
            raise
        finally:  # KeyboardInterrupt, SystemExit: the slot still says why it has no value
            slot.finish(failure=FactFailure("not fetched: the fetch was interrupted"))
        if slot.failure:
            log.debug("fact %s in %s failed: %s", fact_.name, region, slot.failure.reason)

    def _not_fetched_reason(self) -> str | None:
        if self.timed_out is None and self._time_left() == 0:
            self.expire()
        if self.stopped is not None:
            return f"not fetched: the audit stopped ({self.stopped})"
        return self.timed_out

    def _fetch(self, fact_: Fact[Any], region: str) -> Any:
        """The fact's value; anything that goes wrong becomes a FactUnavailable with the reason.

        Only a lost credential (CannotAuditError) and interrupts (BaseException) go through: a
        parser error, a missing response key or a bug in one fetch costs that fact, not the run.
        """
        outer = swap_last_operation(None)
        try:
            return fact_.fetch(FetchContext(self, region))
        except (FactUnavailable, CannotAuditError):
            raise
        except Exception as error:  # every failure is kept as this fact's reason
            failure = classify_error(error, fact_, last_operation())
            raise FactUnavailable(fact_.name, region, failure) from error
        finally:
            swap_last_operation(outer)

    def prefetch(
        self,
        plan: Iterable[tuple[Fact[Any], str]],
        workers: int,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> CannotAuditError | None:
        """Fetch the whole plan concurrently; failures stay in the store.

        If the credentials are lost midway, what was fetched is kept, everything else is recorded
        as not fetched (so its checks report ERROR), and the reason is returned. The same holds
        when the run's deadline passes: fetches still waiting for AWS are abandoned to daemon
        threads (a pool that joins its threads at exit would keep the process alive for them).
        On Ctrl-C the KeyboardInterrupt goes straight up: the session refuses every further call,
        so nothing queued reaches AWS, and nothing running is waited for.
        """
        unique = {(f.name, self.region_for(f, r)): (f, r) for f, r in plan}
        jobs: queue.SimpleQueue[tuple[Fact[Any], str]] = queue.SimpleQueue()
        for job in unique.values():
            jobs.put(job)
        finished: queue.SimpleQueue[None] = queue.SimpleQueue()

        def work() -> None:  # once stopped or out of time, each job just records why
            while True:
                try:
                    fact_, region = jobs.get_nowait()
                except queue.Empty:
                    return
                try:
                    self._quiet_get(fact_, region)
                except CannotAuditError:
                    pass  # kept in self.stopped
                except Exception:  # a bug outside the fetch: its slot already says it failed
                    log.exception("fetching %s in %s", fact_.name, region)
                finally:
                    finished.put(None)

        for number in range(max(1, min(workers, len(unique)))):
            threading.Thread(target=work, name=f"fact-{number}", daemon=True).start()
        try:
            for done in range(1, len(unique) + 1):
                try:
                    finished.get(timeout=self._time_left())
                except queue.Empty:
                    break
                if on_progress:
                    on_progress(done, len(unique))
        except BaseException:
            self.session.cancel()
            raise
        if self._not_fetched_reason() is None and self._time_left() == 0:
            self.expire()
        return self.stopped

    def _time_left(self) -> float | None:
        """Seconds until the run's deadline (None: no deadline), never negative."""
        return None if self.deadline is None else self.deadline.left()

    def expire(self) -> None:
        """The run's time is up: every fact not fetched yet fails with the same reason."""
        seconds = self.deadline.seconds if self.deadline else 0
        self.timed_out = f"not fetched: run timed out after {seconds:g} s"
        with self._lock:
            slots = list(self._slots.values())
        for slot in slots:
            slot.finish(failure=FactFailure(self.timed_out))

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


def classify_error(error: Exception, fact_: Fact[Any], operation: str | None = None) -> FactFailure:
    """The failure a fetch's exception means; ``operation`` is the last call the fetch made."""
    if isinstance(error, ClientError):
        return classify_client_error(error, fact_, operation)
    if isinstance(error, BotoCoreError):
        return classify_botocore_error(error, operation)
    return classify_other_error(error, operation)


def classify_client_error(
    error: ClientError, fact_: Fact[Any], operation: str | None = None
) -> FactFailure:
    code = error_code(error)
    operation = _named(operation, error.operation_name)
    if code in EXPIRED_CODES:
        raise CannotAuditError(describe_client_error(error)) from error
    if code in ACCESS_DENIED_CODES:
        full_message = error.response.get("Error", {}).get("Message") or ""
        if (denial := scp_denial(full_message)) is not None:  # the policy ARN ends the message
            return FactFailure(f"{operation} {denial.reason}", scp=denial)
        action = permission_for(fact_, error.operation_name)
        return FactFailure(f"access denied: grant {action}", missing_permission=action)
    if code in REGION_DISABLED_CODES:
        return FactFailure(f"region not enabled or not reachable with these credentials ({code})")
    if code in THROTTLING_CODES:
        return FactFailure(f"throttled by AWS on {operation} after retries ({code})")
    return FactFailure(f"{operation} failed: {error_answer(error)}")


def classify_botocore_error(error: BotoCoreError, operation: str | None = None) -> FactFailure:
    if isinstance(error, NoCredentialsError):
        raise CannotAuditError("the AWS credentials disappeared during the audit") from error
    if isinstance(error, MalformedResponseError):
        return FactFailure(one_line(str(error)))
    where = operation or "AWS"
    if isinstance(error, ReadTimeoutError):
        return FactFailure(f"{where} failed: no answer in time ({one_line(str(error))})")
    if isinstance(error, EndpointConnectionError | ConnectTimeoutError):
        return FactFailure(f"{where} failed: endpoint not reachable ({one_line(str(error))})")
    return FactFailure(f"{where} failed: AWS SDK error: {one_line(str(error))}")


def classify_other_error(error: Exception, operation: str | None = None) -> FactFailure:
    """A failure of no AWS kind: a response botocore could not parse, a key it lacked, a bug."""
    where = operation or "the fetch"
    if isinstance(error, KeyError):
        return FactFailure(f"{where}: unexpected response: no {one_line(str(error))} in it")
    if isinstance(error, ValidationError):
        return FactFailure(
            f"{where}: unexpected response shape: {error.error_count()} validation errors"
        )
    detail = f"{type(error).__name__}: {one_line(str(error))}".rstrip(": ")
    return FactFailure(f"{where} failed: {detail}")


def _named(tracked: str | None, operation_name: str | None) -> str:
    """``service:Operation`` when the tracked call is the failed one, else botocore's name."""
    if tracked and operation_name and tracked.endswith(f":{operation_name}"):
        return tracked
    return operation_name or tracked or "AWS"


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
