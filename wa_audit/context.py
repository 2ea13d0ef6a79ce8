"""What a check sees: its facts, its parameters, the run's clock, and a finding factory."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from wa_audit.facts.base import Fact
from wa_audit.facts.store import FactStore
from wa_audit.models import GLOBAL_REGION, CheckSpec, Finding, Status

T = TypeVar("T")
P = TypeVar("P", bound=BaseModel)


class CheckContext:
    """One check's view of the run, for one region (or ``global``).

    It knows the check by its spec, not its registry entry: the registry types a check function
    as taking this context, so importing the registry here would close a cycle.
    """

    def __init__(
        self,
        spec: CheckSpec,
        store: FactStore,
        *,
        region: str,
        regions: tuple[str, ...],
        now: datetime,
        params: BaseModel | None,
    ) -> None:
        self.spec = spec
        self.region = region
        self.regions = regions
        self.now = now
        self._store = store
        self._params = params

    @property
    def account_id(self) -> str:
        return self._store.identity.account_id

    @property
    def partition(self) -> str:
        return self._store.identity.partition

    def params(self, model: type[P]) -> P:
        """The check's parameters, validated from the config (defaults when not configured)."""
        if not isinstance(self._params, model):
            raise TypeError(f"{self.spec.id} declares no parameters of type {model.__name__}")
        return self._params

    def fact(self, fact_: Fact[T], region: str | None = None) -> T:
        """A fact for this check's region (or ``region``); a failed fetch makes the check ERROR."""
        target = region or (self.region if self.region != GLOBAL_REGION else "")
        return self._store.get(fact_, target or self._store.identity.home_region)

    def finding(
        self,
        status: Status,
        resource: str,
        message: str,
        *,
        region: str | None = None,
        evidence: Mapping[str, Any] | None = None,
    ) -> Finding:
        spec = self.spec
        return Finding(
            check_id=spec.id,
            pillar=spec.pillar,
            severity=spec.severity,
            status=status,
            region=self.finding_region(region),
            resource=resource,
            message=message,
            best_practices=spec.best_practices,
            evidence=dict(evidence or {}),
        )

    def finding_region(self, region: str | None) -> str:
        """``global`` for every finding of an account-wide check, wherever its facts were read
        (a billing alarm lives in us-east-1, yet speaks for the account), so one suppression
        with ``region = "global"`` matches them all; a regional check's own region otherwise,
        or the region it names (``global`` for an account-wide quota)."""
        if not self.spec.regional:
            return GLOBAL_REGION
        return region or self.region

    def passed(self, resource: str, message: str, **kwargs: Any) -> Finding:
        return self.finding(Status.PASS, resource, message, **kwargs)

    def failed(self, resource: str, message: str, **kwargs: Any) -> Finding:
        return self.finding(Status.FAIL, resource, message, **kwargs)

    def warned(self, resource: str, message: str, **kwargs: Any) -> Finding:
        return self.finding(Status.WARN, resource, message, **kwargs)

    def not_applicable(self, resource: str, message: str, **kwargs: Any) -> Finding:
        return self.finding(Status.NOT_APPLICABLE, resource, message, **kwargs)

    @property
    def account_arn(self) -> str:
        """The account's root principal: the resource for account-wide findings."""
        return f"arn:{self.partition}:iam::{self.account_id}:root"
