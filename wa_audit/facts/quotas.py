"""Service Quotas facts: the catalog's quota values, their usage metrics, and requested changes.

Limits are the applied values (``ListServiceQuotas``); a quota missing there falls back to the AWS
default (``ListAWSDefaultServiceQuotas``) and says so. Usage metrics are read in one batched
``GetMetricData`` per region, never one call per quota. Global quotas (IAM) are answered in the
partition's home region only, so they have their own facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact
from wa_audit.quotas.catalog import CatalogEntry, MetricSpec, load_catalog

OPEN_STATUSES = frozenset({"PENDING", "CASE_OPENED"})
METRIC_WINDOW = timedelta(hours=1)
METRIC_QUERIES_PER_CALL = 500  # GetMetricData's limit
PAGE_SIZE = 100  # ListServiceQuotas' largest MaxResults


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class QuotaValue(_Model):
    service_code: str
    quota_code: str
    name: str
    value: float
    unit: str
    adjustable: bool
    global_quota: bool
    arn: str
    source: Literal["applied", "default"]
    usage_metric: MetricSpec | None = None

    @property
    def key(self) -> str:
        return f"{self.service_code}/{self.quota_code}"


class QuotaValues(_Model):
    by_key: dict[str, QuotaValue]
    unavailable_services: tuple[str, ...] = ()
    """Service codes Service Quotas does not know in this region (NoSuchResourceException)."""


class MetricReadings(_Model):
    """The latest hour's value of each quota's usage metric; None when it has no datapoints."""

    by_key: dict[str, float | None]


class RequestedChange(_Model):
    id: str
    case_id: str | None
    service_code: str
    quota_code: str
    quota_name: str
    desired_value: float
    status: str
    created: datetime | None
    last_updated: datetime | None
    global_quota: bool
    region: str

    @property
    def key(self) -> str:
        return f"{self.service_code}/{self.quota_code}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def _metric(raw: dict[str, Any] | None) -> MetricSpec | None:
    if not raw or not raw.get("MetricName"):
        return None
    return MetricSpec(
        namespace=raw.get("MetricNamespace", "AWS/Usage"),
        name=raw["MetricName"],
        statistic=raw.get("MetricStatisticRecommendation") or "Maximum",
        dimensions=dict(raw.get("MetricDimensions") or {}),
    )


def _quota(raw: dict[str, Any], source: Literal["applied", "default"]) -> QuotaValue:
    return QuotaValue(
        service_code=raw["ServiceCode"],
        quota_code=raw["QuotaCode"],
        name=raw.get("QuotaName", raw["QuotaCode"]),
        value=raw["Value"],
        unit=raw.get("Unit", "None"),
        adjustable=raw.get("Adjustable", False),
        global_quota=raw.get("GlobalQuota", False),
        arn=raw.get("QuotaArn", ""),
        source=source,
        usage_metric=_metric(raw.get("UsageMetric")),
    )


def _listed(ctx: FetchContext, operation: str, service: str, codes: set[str]) -> list[Any]:
    pages = ctx.paginate(
        "service-quotas",
        operation,
        "Quotas",
        ServiceCode=service,
        PaginationConfig={"PageSize": PAGE_SIZE},
    )
    return [raw for raw in pages if raw["QuotaCode"] in codes]


def list_catalog_quotas(ctx: FetchContext, entries: Iterable[CatalogEntry]) -> QuotaValues:
    """Applied values per service code, then AWS defaults for what the applied list lacks."""
    by_service: dict[str, set[str]] = {}
    for entry in entries:
        by_service.setdefault(entry.service, set()).add(entry.code)
    found: dict[str, QuotaValue] = {}
    unavailable = []
    for service, codes in by_service.items():
        try:
            applied = [
                _quota(raw, "applied")
                for raw in _listed(ctx, "list_service_quotas", service, codes)
            ]
            missing = codes - {quota.quota_code for quota in applied}
            defaults = (
                [
                    _quota(raw, "default")
                    for raw in _listed(ctx, "list_aws_default_service_quotas", service, missing)
                ]
                if missing
                else []
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "NoSuchResourceException":
                raise
            unavailable.append(service)
            continue
        found.update({quota.key: quota for quota in [*applied, *defaults]})
    return QuotaValues(by_key=found, unavailable_services=tuple(unavailable))


_LIST_PERMISSIONS = (
    "servicequotas:ListServiceQuotas",
    "servicequotas:ListAWSDefaultServiceQuotas",
)


@fact("servicequotas.regional_quotas", regional=True, permissions=_LIST_PERMISSIONS)
def regional_quotas(ctx: FetchContext) -> QuotaValues:
    return list_catalog_quotas(ctx, (e for e in load_catalog().quotas if not e.is_global))


@fact("servicequotas.global_quotas", regional=False, permissions=_LIST_PERMISSIONS)
def global_quotas(ctx: FetchContext) -> QuotaValues:
    return list_catalog_quotas(ctx, (e for e in load_catalog().quotas if e.is_global))


def usage_metric_for(entry: CatalogEntry, quota: QuotaValue | None) -> MetricSpec | None:
    """The quota's own UsageMetric wins; the catalog's metric is the fallback."""
    if quota is not None and quota.usage_metric is not None:
        return quota.usage_metric
    return entry.metric


def _query(query_id: str, metric: MetricSpec) -> dict[str, Any]:
    dimensions = [{"Name": k, "Value": v} for k, v in metric.dimensions.items()]
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {
                "Namespace": metric.namespace,
                "MetricName": metric.name,
                "Dimensions": dimensions,
            },
            "Period": int(METRIC_WINDOW.total_seconds()),
            "Stat": metric.statistic,
        },
        "ReturnData": True,
    }


def read_usage_metrics(
    ctx: FetchContext, wanted: Sequence[tuple[str, MetricSpec]]
) -> MetricReadings:
    """One GetMetricData call (per 500 queries) for every quota's metric of the region."""
    readings: dict[str, float | None] = {key: None for key, _ in wanted}
    if not wanted:
        return MetricReadings(by_key=readings)
    ids = {f"q{index}": key for index, (key, _) in enumerate(wanted)}
    queries = [_query(query_id, metric) for query_id, (_, metric) in zip(ids, wanted, strict=True)]
    # The run's clock, so usage is read for the moment the audit reports; whole minutes, as
    # CloudWatch recommends; rounding up keeps the latest datapoint in range.
    end = ctx.now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    paginator = ctx.client("cloudwatch").get_paginator("get_metric_data")
    for start in range(0, len(queries), METRIC_QUERIES_PER_CALL):
        batch = queries[start : start + METRIC_QUERIES_PER_CALL]
        pages = paginator.paginate(
            MetricDataQueries=batch, StartTime=end - METRIC_WINDOW, EndTime=end
        )
        for page in pages:
            for result in page["MetricDataResults"]:  # absent: unknown usage, not none
                values = result.get("Values") or []
                if values:
                    key = ids[result["Id"]]
                    previous = readings[key]
                    readings[key] = max([*values, *([previous] if previous is not None else [])])
    return MetricReadings(by_key=readings)


def _metrics_of(values: QuotaValues, global_scope: bool) -> list[tuple[str, MetricSpec]]:
    wanted = []
    for entry in load_catalog().quotas:
        quota = values.by_key.get(entry.key)
        metric = usage_metric_for(entry, quota)
        if entry.is_global is global_scope and quota is not None and metric is not None:
            wanted.append((entry.key, metric))
    return wanted


@fact(
    "cloudwatch.regional_quota_metrics",
    regional=True,
    permissions=["cloudwatch:GetMetricData"],
    needs=(regional_quotas,),
)
def regional_quota_metrics(ctx: FetchContext) -> MetricReadings:
    return read_usage_metrics(ctx, _metrics_of(ctx.get(regional_quotas), global_scope=False))


@fact(
    "cloudwatch.global_quota_metrics",
    regional=False,
    permissions=["cloudwatch:GetMetricData"],
    needs=(global_quotas,),
)
def global_quota_metrics(ctx: FetchContext) -> MetricReadings:
    return read_usage_metrics(ctx, _metrics_of(ctx.get(global_quotas), global_scope=True))


@fact(
    "servicequotas.requested_changes",
    regional=True,
    permissions=["servicequotas:ListRequestedServiceQuotaChangeHistory"],
)
def requested_changes(ctx: FetchContext) -> tuple[RequestedChange, ...]:
    """Every increase request filed in the region (global quotas' in the home region), any status."""
    return tuple(
        RequestedChange(
            id=raw["Id"],
            case_id=raw.get("CaseId"),
            service_code=raw["ServiceCode"],
            quota_code=raw["QuotaCode"],
            quota_name=raw.get("QuotaName", raw["QuotaCode"]),
            desired_value=raw["DesiredValue"],
            status=raw["Status"],
            created=raw.get("Created"),
            last_updated=raw.get("LastUpdated"),
            global_quota=raw.get("GlobalQuota", False),
            region=ctx.region,
        )
        for raw in ctx.paginate(
            "service-quotas",
            "list_requested_service_quota_change_history",
            "RequestedQuotas",
            PaginationConfig={"PageSize": PAGE_SIZE},
        )
    )
