"""``wa-audit merge``: the organization Report from per-account results files made anywhere
(one container per account, another machine, another day)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from wa_audit.errors import UsageError
from wa_audit.models import OrganizationPlace, Report, Severity
from wa_audit.org.listing import ListedAccount, not_audited_row
from wa_audit.org.models import AccountResult, OrgReport, OrgVerdicts, summarize
from wa_audit.output import LATEST
from wa_audit.report_io import load_report

RESULTS_FILE = "results.json"
NO_RESULTS = "no results: its audit wrote no results.json (the task failed or never ran)"


def results_files(paths: Iterable[Path]) -> list[Path]:
    """Each given results.json, and every results.json under each given folder (not the ``latest/``
    copies inside it, which repeat a dated run; a ``latest`` folder given itself is read)."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob(RESULTS_FILE))
                if LATEST not in p.relative_to(path).parts
            )
        else:
            raise UsageError(f"{path}: no such file or folder")
    if not found:
        raise UsageError("no results.json found in the given paths")
    return found


@dataclass(frozen=True)
class _Merged:
    """What merge keeps of one account's Report: its row and org-wide verdicts, not findings."""

    started: datetime
    row: AccountResult
    verdicts: OrgVerdicts
    organization: OrganizationPlace | None
    fail_on: Severity | None


def _name_and_path(report: Report, listing: ListedAccount | None) -> tuple[str, tuple[str, ...]]:
    """As Organizations names the account: from accounts.json, else what run --org recorded,
    else the account's alias or id."""
    if listing is not None:
        return listing.name, listing.ou_path
    place = report.organization
    if place is not None and place.account_name:
        return place.account_name, place.ou_path
    return report.account_alias or report.account_id, ()


def merge(
    paths: Iterable[Path], output_dir: Path, accounts: Sequence[ListedAccount] = ()
) -> OrgReport:
    """One row per account; an account found twice keeps its newest run. With ``accounts`` (the
    fan-out's accounts.json) every listed account has a row: one without results is failed."""
    listings = {account.account_id: account for account in accounts}
    newest: dict[str, _Merged] = {}
    for path in results_files(paths):
        report = load_report(path)
        previous = newest.get(report.account_id)
        if previous is not None and previous.started >= report.started_at:
            continue
        folder = Path(os.path.relpath(path.parent, output_dir)).as_posix()
        name, ou_path = _name_and_path(report, listings.get(report.account_id))
        newest[report.account_id] = _Merged(
            report.started_at,
            summarize(report, name, ou_path, folder),
            OrgVerdicts.of(report),
            report.organization,
            report.fail_on,
        )
    rows = [merged.row for merged in newest.values()]
    rows += [not_audited_row(a, NO_RESULTS) for a in accounts if a.account_id not in newest]
    verdicts = OrgVerdicts()
    management = None
    for merged in newest.values():
        if merged.verdicts.assessed:
            verdicts, management = merged.verdicts, merged.row.account_id
    place = next((m.organization for m in newest.values() if m.organization), None)
    thresholds = {merged.fail_on for merged in newest.values()}
    return OrgReport.of(
        rows,
        verdicts,
        started=min(merged.started for merged in newest.values()),
        management_account_id=place.management_account_id if place else management,
        organization_id=place.organization_id if place else None,
        fail_on=thresholds.pop() if len(thresholds) == 1 else None,
    )
