"""The organization scorecard in Debian's chromium: offline, CSP enforced, account text inert."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wa_audit.models import Pillar, Severity
from wa_audit.org.models import AccountOutcome, AccountResult, OrgReport, worst_first
from wa_audit.reports.org_formats import HTML

pytestmark = pytest.mark.browser
HOSTILE = '<img src=x onerror="alert(1)">evil'
WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _report() -> OrgReport:
    rows = [
        AccountResult(
            account_id="111111111111",
            name="prod",
            outcome=AccountOutcome.AUDITED,
            score=96.0,
            pillar_scores={Pillar.SECURITY: 90.0},
            report_dir="accounts/111111111111",
        ),
        AccountResult(
            account_id="222222222222",
            name=HOSTILE,
            outcome=AccountOutcome.AUDITED,
            score=12.0,
            failures={Severity.CRITICAL: 2},
            report_dir="accounts/222222222222",
        ),
        AccountResult(
            account_id="333333333333",
            name="invited",
            outcome=AccountOutcome.FAILED,
            reason=f"cannot assume role ({HOSTILE})",
        ),
    ]
    return OrgReport(
        tool_version="0.1.0",
        management_account_id="111111111111",
        started_at=WHEN,
        finished_at=WHEN,
        accounts=worst_first(rows),
        exit_code=1,
    )


def test_org_scorecard_lists_worst_first_links_accounts_and_keeps_text_inert(browser, tmp_path):
    page_path = tmp_path / "organization.html"
    page_path.write_text(HTML.render(_report()), encoding="utf-8")
    account_page = tmp_path / "accounts" / "222222222222" / "results.html"
    account_page.parent.mkdir(parents=True)
    account_page.write_text("<!DOCTYPE html><title>account 222222222222</title>")
    context = browser.new_context()
    page = context.new_page()
    console: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(page_path.as_uri())
    rows = page.locator("table.accounts tbody tr").all_inner_texts()
    assert [row.split("\n")[0].split("\t")[0] for row in rows][:1] == ["invited"]
    assert "222222222222" in rows[1]
    assert HOSTILE in rows[1]  # shown as text, not markup
    assert page.locator("table.accounts img").count() == 0
    assert (console, dialogs) == ([], [])
    assert requests == [page_path.as_uri()]
    link = page.locator('a[href="accounts/222222222222/results.html"]')
    assert link.inner_text() == HOSTILE
    with page.expect_navigation():
        link.click()
    assert page.title() == "account 222222222222"
    context.close()
