"""Markdown: the headline, new failures first, top 10 by severity, tables that cannot break."""

from __future__ import annotations

from tests.sample_report import finding, sample_report
from wa_audit.models import Status
from wa_audit.reports.markdown_format import FORMAT


def test_leads_with_what_is_new():
    text = FORMAT.render(sample_report())
    lines = text.splitlines()
    assert lines[0] == "## wa-audit: account 123456789012"
    assert lines[2] == "**1 new FAIL** (1 critical) · 1 FAIL · 1 ERROR · 1 suppressed · exit 1"
    sections = [line for line in lines if line.startswith("### ")]
    assert sections == [
        "### New failures since 2026-11-28 21:15 UTC (1)",
        "### Resolved since 2026-11-28 21:15 UTC (1)",
        "### Top failures by severity (1 of 1)",
        "### Needs attention",
    ]
    assert (
        "| critical | `sec.root-mfa` | global | `arn:aws:iam::123456789012:root` | "
        "The root user has no MFA \\| anyone with its password controls the account. |"
    ) in lines
    assert "- Not assessed: `rel.backups` eu-west-1: rel.backups is ERROR." in lines


def test_without_baseline_or_score_there_is_no_trace_of_them():
    text = FORMAT.render(sample_report(with_baseline=False))
    assert "new FAIL" not in text
    assert "Resolved" not in text
    assert "score" not in text.lower()
    assert "| Pillar | PASS | FAIL | WARN | ERROR |" in text


def test_top_ten_by_severity_and_the_rest_counted():
    many = tuple(
        finding("rel.backups", Status.FAIL, f"arn:aws:rds:eu-west-1:123456789012:db:{n:02}")
        for n in range(12)
    )
    report = sample_report(with_baseline=False)
    text = FORMAT.render(report.model_copy(update={"findings": (*report.findings, *many)}))
    assert "### Top failures by severity (10 of 13)" in text
    top = text.split("### Top failures by severity (10 of 13)")[1]
    assert top.index("`sec.root-mfa`") < top.index("`rel.backups`")  # critical before high
    assert "… and 3 more." in top


def test_the_file_says_what_the_exit_code_means_and_the_pillars_risks():
    """A reader of results.md learns what exit 1 means in words (as on the scorecard), and sees
    each pillar's questions at high and medium risk beside its score."""
    from tests.reports.report_factory import sample_report as scored_report

    report = scored_report()
    lines = FORMAT.render(report).splitlines()
    assert lines[4].startswith("Not passed: ")
    assert lines[4].endswith(" of high severity or above.")
    assert "| Pillar | Score | High risk | Medium risk | PASS | FAIL | WARN | ERROR |" in lines
    assert report.scores is not None
    security = next(p for p in report.scores.pillars if p.pillar.label == "Security")
    [row] = [line for line in lines if line.startswith("| Security |")]
    assert row.split(" | ")[2:4] == [str(security.high_risks), str(security.medium_risks)]
