"""Quota usage and request history across regions for the ``wa-audit quotas`` commands.

They read the same facts as the audit, through a fact store of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from wa_audit.aws import AwsSession
from wa_audit.errors import UsageError
from wa_audit.facts.base import all_permissions
from wa_audit.facts.quota_usage import QUOTA_USAGE_FACTS, open_request_of
from wa_audit.facts.quotas import RequestedChange, requested_changes
from wa_audit.facts.regions import account_regions
from wa_audit.facts.store import FactFailure, FactStore, FactUnavailable
from wa_audit.facts.support import LimitIncreaseCases, limit_increase_cases
from wa_audit.models import GLOBAL_REGION, QuotaUsage
from wa_audit.quotas.section import Gathered, RegionFailure, gather_usage
from wa_audit.region_scope import RegionScope, resolve_regions

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

QUOTA_COMMAND_READS = frozenset(
    {
        *(action for fact_ in QUOTA_USAGE_FACTS for action in all_permissions(fact_)),
        *all_permissions(account_regions),
        *all_permissions(limit_increase_cases),
        "servicequotas:GetServiceQuota",
        "servicequotas:GetAWSDefaultServiceQuota",
    }
)
"""What ``wa-audit quotas`` reads, whichever checks the audit policy covers."""


@dataclass(frozen=True)
class History:
    """What ``quotas history`` lists: Service Quotas requests and Support Center cases."""

    changes: tuple[RequestedChange, ...]
    failures: tuple[RegionFailure, ...]
    cases: LimitIncreaseCases | None
    cases_failure: FactFailure | None = None
    """Why the cases could not be read (None when read, or when the plan has no Support API)."""


@dataclass
class QuotaReader:
    """A fact store over the account's regions, for the ``wa-audit quotas`` commands."""

    session: AwsSession
    store: FactStore
    scope: RegionScope
    workers: int

    @classmethod
    def open(cls, session: AwsSession, regions: Sequence[str], workers: int) -> QuotaReader:
        identity = session.identity()
        store = FactStore(session, identity)
        fallback = session.default_region or identity.home_region
        return cls(session, store, resolve_regions(store, regions, fallback), workers)

    @property
    def regions(self) -> tuple[str, ...]:
        return self.scope.audited

    def usage(self, regions: Sequence[str] | None = None) -> Gathered:
        """Quota usage in ``regions`` (default: the reader's) plus the account-wide quotas."""
        chosen = tuple(regions or self.regions)
        plan = [
            (fact_, region)
            for fact_ in QUOTA_USAGE_FACTS
            for region in (chosen if fact_.regional else chosen[:1])
        ]
        self.store.prefetch(plan, self.workers)
        return gather_usage(self.store.get, chosen)

    def history(self) -> History:
        """Requested changes of every region (global quotas' appear in the home region), and the
        service limit increase cases of the Support Center (a global API)."""
        home = self.store.identity.home_region
        plan = [(requested_changes, r) for r in self.regions]
        self.store.prefetch([*plan, (limit_increase_cases, home)], self.workers)
        changes: list[RequestedChange] = []
        failures = []
        for region in self.regions:
            try:
                found: tuple[RequestedChange, ...] = self.store.get(requested_changes, region)
            except FactUnavailable as missing:
                failures.append(RegionFailure(region, missing.failure))
                continue
            changes.extend(found)
        changes.sort(key=lambda c: (c.created or EPOCH, c.id), reverse=True)
        try:
            cases: LimitIncreaseCases | None = self.store.get(limit_increase_cases, home)
        except FactUnavailable as missing:
            return History(tuple(changes), tuple(failures), None, missing.failure)
        return History(tuple(changes), tuple(failures), cases)


class QuotaNotFound(UsageError):
    """The quota asked for does not exist in the region (or at all)."""


def _applied_or_default(client: Any, service: str, code: str) -> tuple[dict[str, Any], str] | None:
    for operation, source in (
        (client.get_service_quota, "applied"),
        (client.get_aws_default_service_quota, "default"),
    ):
        try:
            return operation(ServiceCode=service, QuotaCode=code)["Quota"], source
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NoSuchResourceException":
                raise
    return None


def lookup_uncatalogued(reader: QuotaReader, service: str, code: str, region: str) -> QuotaUsage:
    """A quota outside the catalog, for ``quotas request``: its limit, no usage.

    Read directly (GetServiceQuota, else GetAWSDefaultServiceQuota) because facts cover only the
    catalog; a global quota is looked up again in the home region where AWS answers it.
    """
    home = reader.store.identity.home_region
    for api_region in dict.fromkeys([region, home]):
        client = reader.session.client("service-quotas", api_region)
        found = _applied_or_default(client, service, code)
        if found is None:
            continue
        raw, source = found
        is_global = bool(raw.get("GlobalQuota"))
        changes: tuple[RequestedChange, ...] = reader.store.get(requested_changes, api_region)
        return QuotaUsage(
            region=GLOBAL_REGION if is_global else api_region,
            service_code=service,
            quota_code=code,
            quota_name=raw.get("QuotaName", code),
            usage=None,
            limit=raw["Value"],
            limit_source=source,
            percent=None,
            adjustable=bool(raw.get("Adjustable")),
            usage_source="unknown: not in the quota catalog",
            quota_arn=raw.get("QuotaArn"),
            open_request=open_request_of(changes, f"{service}/{code}"),
        )
    raise QuotaNotFound(f"no quota {service}/{code} in {region}")
