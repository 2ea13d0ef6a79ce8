"""How ``wa-audit quotas`` prints: plain tables, CSV and JSON of usage, plans and history."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from wa_audit.escaping import csv_cell
from wa_audit.facts.quotas import RequestedChange
from wa_audit.facts.support import SupportCase
from wa_audit.models import QuotaUsage
from wa_audit.quotas.plan import Action, PlannedRequest
from wa_audit.quotas.reader import EPOCH, History
from wa_audit.quotas.requests import Result, support_center_url

NAME_WIDTH = 44


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)
    ]
    lines = [headers, *rows]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _short(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _open(usage: QuotaUsage) -> str:
    request = usage.open_request
    return f"{request.id} {request.status} ({request.desired_value:g})" if request else ""


USAGE_HEADERS = (
    "REGION",
    "QUOTA",
    "NAME",
    "USAGE",
    "LIMIT",
    "PERCENT",
    "ADJUSTABLE",
    "SOURCE",
    "OPEN REQUEST",
)


def _usage_row(usage: QuotaUsage, *, short: bool) -> list[str]:
    percent = "-" if usage.percent is None else f"{usage.percent:g}%"
    return [
        usage.region,
        f"{usage.service_code}/{usage.quota_code}",
        _short(usage.quota_name) if short else usage.quota_name,
        _num(usage.usage),
        f"{usage.limit:g}" + ("" if usage.limit_source == "applied" else " (default)"),
        percent,
        "yes" if usage.adjustable else "no",
        usage.usage_source,
        _open(usage),
    ]


def fullest_first(usages: Iterable[QuotaUsage]) -> list[QuotaUsage]:
    """By percent used, highest first; quotas whose usage is unknown last."""
    return sorted(
        usages,
        key=lambda u: (
            u.percent is None,
            -(u.percent or 0.0),
            u.service_code,
            u.quota_code,
            u.region,
        ),
    )


def usage_text(usages: Sequence[QuotaUsage], output_format: str) -> str:
    if output_format == "json":
        return json.dumps([u.model_dump(mode="json") for u in usages], indent=2)
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([h.lower().replace(" ", "_") for h in USAGE_HEADERS])
        writer.writerows([csv_cell(c) for c in _usage_row(u, short=False)] for u in usages)
        return buffer.getvalue().rstrip("\n")
    return table(USAGE_HEADERS, [_usage_row(u, short=True) for u in usages])


_ACTION_LABEL = {
    Action.FILE: "file request",
    Action.ALREADY_OPEN: "already open",
    Action.REFUSED: "refused",
}


def plan_text(plans: Sequence[PlannedRequest]) -> str:
    rows = [
        [
            p.key,
            _short(p.quota_name, 36),
            p.region,
            f"{p.current:g}",
            _num(p.usage),
            _num(p.requested),
            _ACTION_LABEL[p.action] + (f": {p.reason}" if p.reason else ""),
        ]
        for p in plans
    ]
    headers = ("QUOTA", "NAME", "REGION", "CURRENT", "USAGE", "REQUESTED", "ACTION")
    return table(headers, rows)


def support_center_text(plans: Sequence[PlannedRequest], partition: str) -> str:
    """What to submit, and where, for quotas only a person can ask AWS to raise ("" if none)."""
    manual = [p for p in plans if p.needs_support_center]
    if not manual:
        return ""
    lines = [
        f"Service Quotas cannot raise {len(manual)} of these quotas, and the AWS Support API "
        "takes no limit increases. Submit each as a service limit increase in the Support Center "
        "(open to every support plan, Basic included):",
        f"  {support_center_url(partition)}",
    ]
    for plan in manual:
        usage = "" if plan.usage is None else f", usage {plan.usage:g}"
        lines.append(
            f"  - {plan.service_code} {plan.quota_name} ({plan.quota_code}), region "
            f"{plan.region}: current {plan.current:g}{usage}, ask for {_num(plan.requested)}"
        )
    return "\n".join(lines)


def results_text(results: Sequence[Result]) -> str:
    return "\n".join(
        f"  {r.outcome.value:<12} {r.plan.key} {r.plan.region}: {r.detail}" for r in results
    )


HISTORY_HEADERS = (
    "CREATED",
    "SOURCE",
    "REGION",
    "QUOTA",
    "NAME",
    "REQUESTED",
    "STATUS",
    "ID",
    "CASE",
)
SERVICE_QUOTAS = "service-quotas"
SUPPORT_CASE = "support-case"
"""Where a history entry comes from: a Service Quotas request, or a Support Center case."""


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _change_row(change: RequestedChange) -> list[str]:
    return [
        _when(change.created),
        SERVICE_QUOTAS,
        "global" if change.global_quota else change.region,
        change.key,
        _short(change.quota_name, 36),
        f"{change.desired_value:g}",
        change.status,
        change.id,
        change.case_id or "",
    ]


def _case_row(case: SupportCase) -> list[str]:
    return [
        _when(case.created),
        SUPPORT_CASE,
        "-",
        case.category_code or "-",
        _short(case.subject, 36),
        "-",
        case.status,
        case.display_id or "",
        case.case_id,
    ]


def _cases_apart(
    changes: Sequence[RequestedChange], cases: Sequence[SupportCase]
) -> list[SupportCase]:
    """The cases no Service Quotas request opened (those are listed with their request)."""
    opened = {change.case_id for change in changes if change.case_id}
    return [c for c in cases if c.case_id not in opened and c.display_id not in opened]


HISTORY_SCOPE = (
    "Requests filed through Service Quotas, in the console or the API and by anyone, are listed "
    "(open ones, and those closed in the last year); a Support case opened by hand is not a "
    "Service Quotas request and is not listed: see the Support Center."
)
NO_SUPPORT_API = (
    "The account's support plan has no Support API (Basic or Developer), which would list them."
)
WITH_CASES = (
    "Requests filed through Service Quotas, in the console or the API and by anyone, are listed "
    "(open ones, and those closed in the last year), and so are the service limit increase cases "
    "opened in the Support Center (source support-case; the Support API keeps them 24 months)."
)


def history_text(history: History, output_format: str, partition: str) -> str:
    """Both sources, newest first, each row saying which it comes from."""
    cases = _cases_apart(history.changes, history.cases.cases if history.cases else ())
    entries: list[tuple[datetime, dict[str, Any], list[str]]] = [
        (
            c.created or EPOCH,
            {"source": SERVICE_QUOTAS, **c.model_dump(mode="json")},
            _change_row(c),
        )
        for c in history.changes
    ]
    entries += [
        (c.created or EPOCH, {"source": SUPPORT_CASE, **c.model_dump(mode="json")}, _case_row(c))
        for c in cases
    ]
    entries.sort(key=lambda entry: entry[0], reverse=True)
    if output_format == "json":
        return json.dumps([payload for _, payload, _ in entries], indent=2)
    listed = (
        table(HISTORY_HEADERS, [row for _, _, row in entries])
        if entries
        else "No quota increase requests."
    )
    if history.cases is not None and not history.cases.subscription_required:
        return f"{listed}\n{WITH_CASES}"
    cases_url = f"{support_center_url(partition).split('#')[0]}#/case/history"
    note = HISTORY_SCOPE
    if history.cases is not None:
        note += " " + NO_SUPPORT_API
    return f"{listed}\n{note} ({cases_url})"
