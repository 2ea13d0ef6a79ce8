"""Account text cannot act on its reader: markdown renders it as text, the terminal gets no
escape sequences, a spreadsheet gets no formula.

The markdown is parsed as GitHub would (CommonMark + GFM tables and strikethrough, with
markdown-it-py) and the tokens are inspected: no link, image, emphasis, HTML or extra cell.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.sample_report import sample_report
from wa_audit import cli_results
from wa_audit.baseline import Baseline, compare_reports
from wa_audit.console import summary_text
from wa_audit.diff_view import render_markdown, render_table
from wa_audit.escaping import csv_cell, terminal_text
from wa_audit.markdown import cell, code
from wa_audit.models import Report
from wa_audit.quotas.views import usage_text
from wa_audit.reports.csv_format import FORMAT as CSV
from wa_audit.reports.markdown_format import FORMAT as MARKDOWN

HOSTILE_MESSAGE = (
    "[click here](https://evil.example/login) ![pixel](https://tracker.example/p.png) "
    "**bold** _it_ ~~gone~~ <img src=x onerror=alert(1)> &amp; $x^2$ a|b `code` \\"
)
HOSTILE_RESOURCE = "arn:aws:s3:::a`b``c|[x](https://evil.example)<b>"
TERMINAL_ATTACK = (
    "quiet\x1b[2J\x1b]0;owned\x07\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"
    "\x9b31m\r\nexit 0: no FAIL at or above high\u202eexe.txt"
)
GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ACTIVE = {"link_open", "image", "em_open", "strong_open", "s_open", "html_inline", "html_block"}


def hostile_report() -> Report:
    report = sample_report()
    first = report.findings[0].model_copy(
        update={"message": HOSTILE_MESSAGE, "resource": HOSTILE_RESOURCE}
    )
    return report.model_copy(update={"findings": (first, *report.findings[1:])})


def _tokens(markdown: str) -> list[Token]:
    flat: list[Token] = []
    for token in GFM.parse(markdown):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


def _rows_with(markdown: str, needle: str) -> list[list[str]]:
    """The cells of every table row whose text contains ``needle``, as GitHub would show them."""
    rows, current, in_cell = [], [], False
    for token in GFM.parse(markdown):
        if token.type == "tr_open":
            current = []
        elif token.type in ("td_open", "th_open"):
            in_cell = True
        elif token.type == "inline" and in_cell:
            current.append("".join(child.content for child in token.children or []))
            in_cell = False
        elif token.type == "tr_close" and any(needle in c for c in current):
            rows.append(current)
    return rows


def _active(markdown: str) -> Counter[str]:
    return Counter(t.type for t in _tokens(markdown) if t.type in ACTIVE)


def _assert_inert(markdown: str, benign: str) -> None:
    """The hostile rendering has no markup the benign one lacks (wa-audit's own bold headline)."""
    assert _active(markdown) == _active(benign)
    assert _active(markdown).keys() <= {"strong_open"}


def test_results_md_shows_hostile_text_as_text():
    markdown = MARKDOWN.render(hostile_report())
    _assert_inert(markdown, MARKDOWN.render(sample_report()))
    rows = _rows_with(markdown, "click here")  # in "New failures" and in "Top failures"
    assert len(rows) == 2
    row = rows[0]
    assert rows[1] == row
    assert len(row) == 5  # Severity, Check, Region, Resource, Message: no cell split by `|`
    assert row[3] == HOSTILE_RESOURCE  # the code span shows the name exactly
    assert row[4] == HOSTILE_MESSAGE  # and the message reads as written


def test_diff_markdown_shows_hostile_text_as_text():
    old = Baseline(report=sample_report(with_baseline=False), source="old.json")
    new = Baseline(report=hostile_report(), source="new.json")
    markdown = render_markdown(compare_reports(old, new))
    benign = Baseline(report=sample_report(), source="new.json")
    _assert_inert(markdown, render_markdown(compare_reports(old, benign)))
    assert any(HOSTILE_RESOURCE in cells for cells in _rows_with(markdown, "evil.example"))


@pytest.mark.parametrize("text", ["plain", "a`b", "``x", "y`", "|", "[a](b)", "\\"])
def test_code_spans_hold_any_name(text):
    [paragraph] = [t for t in GFM.parse(code(text)) if t.type == "inline"]
    [span] = paragraph.children or []
    assert span.type == "code_inline"
    assert span.content.strip() == text.replace("|", "\\|")  # GFM unescapes \| only in tables


def test_cell_escapes_every_markdown_active_character():
    assert cell("*[x](y)*") == r"\*\[x\]\(y\)\*"
    assert cell("line one\nline two") == "line one line two"


def test_terminal_text_removes_escape_sequences_and_line_breaks():
    shown = terminal_text(TERMINAL_ATTACK)
    assert shown == "quietlink exit 0: no FAIL at or above highexe.txt"
    assert all(ch.isprintable() for ch in shown)


def test_summary_on_the_terminal_carries_no_escape_sequence():
    report = sample_report()
    first = report.findings[0].model_copy(update={"message": TERMINAL_ATTACK})
    text = summary_text(report.model_copy(update={"findings": (first, *report.findings[1:])}))
    for control in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert control not in text
    # the forged verdict stays inside the finding's line: the real last line is wa-audit's
    assert [line for line in text.splitlines() if line.startswith("exit ")] == [
        text.splitlines()[-1]
    ]


def test_diff_table_on_the_terminal_carries_no_escape_sequence():
    report = sample_report()
    first = report.findings[0].model_copy(update={"resource": TERMINAL_ATTACK})
    hostile = report.model_copy(update={"findings": (first, *report.findings[1:])})
    old = Baseline(report=sample_report(with_baseline=False), source="old.json")
    text = render_table(compare_reports(old, Baseline(report=hostile, source="new.json")))
    assert "\x1b" not in text
    assert "\r" not in text
    assert not any(line.startswith("exit 0") for line in text.splitlines())


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("https://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["arn:aws:s3:::logs", "a=b", "", "'quoted", "1-2"])
def test_other_csv_cells_are_untouched(value):
    assert csv_cell(value) == value


def test_results_csv_neutralises_formulas_in_account_text():
    report = sample_report()
    first = report.findings[0].model_copy(
        update={"resource": "=cmd|' /C calc'!A0", "message": "@SUM(1+1)*cmd|' /C calc'!A0"}
    )
    text = CSV.render(report.model_copy(update={"findings": (first, *report.findings[1:])}))
    [row, *_] = list(csv.DictReader(io.StringIO(text)))
    assert row["resource"] == "'=cmd|' /C calc'!A0"
    assert row["message"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["check_id"] == "sec.root-mfa"  # ordinary cells as they are


def test_quota_csv_neutralises_formulas(sample_usage):
    text = usage_text([sample_usage.model_copy(update={"quota_name": "=1+1"})], "csv")
    assert ",'=1+1," in text


@pytest.fixture
def sample_usage():
    from wa_audit.models import QuotaUsage

    fields = QuotaUsage.model_fields
    assert "quota_name" in fields
    return QuotaUsage.model_validate(
        {
            "service_code": "ec2",
            "quota_code": "L-0263D0A3",
            "quota_name": "EC2-VPC Elastic IPs",
            "region": "us-east-1",
            "usage": 4,
            "limit": 5,
            "percent": 80.0,
            "adjustable": True,
            "usage_source": "api",
            "limit_source": "applied",
        }
    )


def test_report_to_a_terminal_carries_no_escape_sequence(run_cli, monkeypatch, tmp_path):
    """Before: ``report --format csv`` wrote ESC and BEL from account text to the terminal."""
    report = sample_report()
    first = report.findings[0].model_copy(update={"message": TERMINAL_ATTACK})
    hostile = report.model_copy(update={"findings": (first, *report.findings[1:])})
    path = tmp_path / "results.json"
    path.write_text(hostile.model_dump_json())
    monkeypatch.setattr(cli_results, "stdout_is_terminal", lambda: True)
    shown = run_cli("report", str(path), "--format", "csv").output
    for control in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
        assert control not in shown
    rows = CSV.render(Report.model_validate_json(path.read_text())).split("\n")
    assert len(shown.split("\n")) == len(rows)  # every row still there, on lines of its own
    assert shown.split("\n")[3:] == rows[3:]  # the rows after the hostile one, exactly
