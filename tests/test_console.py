"""The terminal summary: failures as facts, grouped per check, coloured only on request."""

from __future__ import annotations

from tests.reports.report_factory import sample_report
from wa_audit.audit import wants_colour
from wa_audit.console import quiet_line, summary_text
from wa_audit.models import ALL_REGIONS, Finding, RegionNote, Status


def _failing_everywhere(report, check_id: str, regions: int) -> tuple[Finding, ...]:
    template = next(f for f in report.findings if f.check_id == check_id)
    return tuple(
        template.model_copy(
            update={"status": Status.FAIL, "region": f"xx-test-{n:02}", "resource": f"r{n}"}
        )
        for n in range(regions)
    )


def test_repeated_failures_of_one_check_are_one_line_with_their_extent():
    report = sample_report()
    check_id = next(f.check_id for f in report.findings if f.open_failure)
    spec = report.check_spec(check_id)
    many = _failing_everywhere(report, check_id, 17)
    others = tuple(f for f in report.findings if f.check_id != check_id)
    text = summary_text(report.model_copy(update={"findings": (*others, *many)}))
    assert text.count(f" {check_id}  ") == 1
    assert f"{check_id}  {spec.failure_title} — FAIL in 17 regions" in text
    assert "xx-test-00, xx-test-01, xx-test-02, and 14 more" in text


def test_failures_are_headed_by_the_fact_not_the_goal():
    report = sample_report()
    text = summary_text(report)
    for finding in (f for f in report.findings if f.open_failure):
        spec = report.check_spec(finding.check_id)
        assert f"{spec.failure_title} — FAIL" in text
        assert f"  {spec.title} — FAIL" not in text
    assert "Root user has access keys — FAIL" in text


def test_colour_only_when_asked_and_never_with_no_color(monkeypatch):
    report = sample_report()
    assert "\x1b[" not in summary_text(report)
    coloured = summary_text(report, colour=True)
    assert "\x1b[31m" in coloured or "\x1b[91m" in coloured  # red for FAIL / critical

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_colour(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_colour(Tty())


def test_progress_shows_before_the_first_aws_call(monkeypatch):
    """A slow endpoint is never silent: the bar is drawn before run_audit makes any call."""
    import io
    import sys

    import wa_audit.audit as audit

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stderr = Terminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    seen: list[str] = []

    def first_call(*_args, **_kwargs):
        seen.append(stderr.getvalue())
        return sample_report()

    monkeypatch.setattr(audit, "run_audit", first_call)
    audit._run_with_progress(None, [], None, [], quiet=False)
    assert audit.IDENTIFYING in seen[0]
    seen.clear()
    stderr.truncate(0)
    audit._run_with_progress(None, [], None, [], quiet=True)
    assert seen == [""]


def test_unlisted_regions_are_said_in_the_summary_and_the_quiet_line():
    report = sample_report().model_copy(
        update={
            "regions": ("us-east-1",),
            "skipped_regions": (RegionNote(region=ALL_REGIONS, reason="cannot list regions (x)"),),
        }
    )
    assert "Regions: cannot list regions (x); audited us-east-1 only" in summary_text(report)
    assert "; regions not listed; " in quiet_line(report)
