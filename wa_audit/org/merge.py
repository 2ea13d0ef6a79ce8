"""``wa-audit merge``: the organization Report from per-account results files made anywhere
(one container per account, another machine, another day)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from wa_audit.errors import UsageError
from wa_audit.org.models import AccountResult, OrgReport, OrgVerdicts, summarize
from wa_audit.report_io import load_report

RESULTS_FILE = "results.json"


def results_files(paths: Iterable[Path]) -> list[Path]:
    """Each given results.json, and every results.json under each given folder (not ``latest/``
    copies, which repeat a dated run)."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in sorted(path.rglob(RESULTS_FILE)) if "latest" not in p.parts)
        else:
            raise UsageError(f"{path}: no such file or folder")
    if not found:
        raise UsageError("no results.json found in the given paths")
    return found


def merge(paths: Iterable[Path], output_dir: Path) -> OrgReport:
    """One row per account; an account found twice keeps its newest run."""
    newest: dict[str, tuple[datetime, AccountResult, OrgVerdicts]] = {}
    for path in results_files(paths):
        report = load_report(path)
        folder = Path(os.path.relpath(path.parent, output_dir)).as_posix()
        name = report.account_alias or report.account_id
        row = summarize(report, name, (), folder)
        previous = newest.get(report.account_id)
        if previous is None or previous[0] < report.started_at:
            newest[report.account_id] = (report.started_at, row, OrgVerdicts.of(report))
    verdicts = OrgVerdicts()
    management = None
    for _, row, found in newest.values():
        if found.assessed:
            verdicts, management = found, row.account_id
    rows = [row for _, row, _ in newest.values()]
    started = min(moment for moment, _, _ in newest.values())
    return OrgReport.of(rows, verdicts, started=started, management_account_id=management)
