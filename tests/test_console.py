"""The terminal summary: failures as facts, grouped per check, coloured only on request."""

from __future__ import annotations

import io
import os
import select
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import sandbox_env
from tests.reports.report_factory import sample_report
from wa_audit.audit import wants_colour
from wa_audit.console import quiet_line, summary_text
from wa_audit.models import ALL_REGIONS, Finding, RegionNote, Status
from wa_audit.progress import IDENTIFYING, LISTING_ACCOUNTS


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


def test_a_group_shows_each_distinct_message_and_what_to_do():
    """Messages that differ only by their region are one; another message is shown too; the
    check's remediation follows every group of Top failures."""
    report = sample_report()
    check_id = next(f.check_id for f in report.findings if f.open_failure)
    spec = report.check_spec(check_id)
    many = [
        f.model_copy(update={"message": f"Nothing watches {f.region}."})
        for f in _failing_everywhere(report, check_id, 3)
    ]
    many[2] = many[2].model_copy(update={"message": "Something else entirely."})
    others = tuple(f for f in report.findings if f.check_id != check_id)
    text = summary_text(report.model_copy(update={"findings": (*others, *many)}))
    block = text[text.index(f" {check_id}  ") :].split("\n")[:5]
    assert block[1:] == [
        f"{' ' * 11}xx-test-00, xx-test-01, xx-test-02",
        f"{' ' * 11}- xx-test-00: Nothing watches xx-test-00. (and 1 more like it)",
        f"{' ' * 11}- xx-test-02: Something else entirely.",
        f"{' ' * 11}Fix: {spec.remediation}",
    ]
    for finding in (f for f in report.findings if f.open_failure):
        remediation = report.check_spec(finding.check_id).remediation
        assert f"Fix: {remediation}" in summary_text(report)


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


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stderr", [Terminal(), io.StringIO()], ids=["terminal", "pipe"])
def test_progress_shows_before_the_first_aws_call(monkeypatch, stderr):
    """A slow endpoint is never silent: on a terminal the bar, elsewhere one plain line, is on
    stderr before the session is made (assuming --role-arn is already a call) and before
    run_audit calls AWS; --quiet prints neither."""
    import wa_audit.audit as audit

    monkeypatch.setattr(sys, "stderr", stderr)
    seen: list[str] = []

    def connect():
        seen.append(stderr.getvalue())
        return "session"

    def first_call(session, *_args, **_kwargs):
        seen.append(stderr.getvalue())
        assert session == "session"
        return sample_report()

    monkeypatch.setattr(audit, "run_audit", first_call)
    audit._run_with_progress(connect, [], None, [], quiet=False)
    assert len(seen) == 2
    assert all(IDENTIFYING in text for text in seen)
    if not stderr.isatty():
        assert seen[0] == f"wa-audit: {IDENTIFYING}…\n"
    seen.clear()
    stderr.seek(0)
    stderr.truncate(0)
    audit._run_with_progress(connect, [], None, [], quiet=True)
    assert seen == ["", ""]


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """An endpoint on loopback that takes connections and never answers: a hung AWS endpoint."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def _first_stderr_line(args: list[str], endpoint: str, tmp_path: Path) -> str:
    """The first line a real ``wa-audit`` process writes to stderr (a pipe, so no bar) while
    every AWS call hangs; the process is stopped once the line arrived."""
    env = {
        **os.environ,
        **sandbox_env(endpoint),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "wa_audit", *args],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stderr], [], [], 60)
        assert ready, "wa-audit said nothing for 60 s while the endpoint hung"
        assert process.poll() is None, "it should still be waiting for the endpoint"
        return process.stderr.readline()
    finally:
        process.kill()
        process.wait(timeout=10)
        process.stderr.close()


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["run", "--role-arn", "arn:aws:iam::111122223333:role/Audit"], IDENTIFYING),
        (["run", "--org", "--check", "sec.root-mfa"], LISTING_ACCOUNTS),
        (["accounts"], LISTING_ACCOUNTS),
        (["quotas", "list"], IDENTIFYING),
        (["quotas", "history"], IDENTIFYING),
        (["quotas", "request", "--above", "90", "--dry-run"], IDENTIFYING),
    ],
    ids=["run-role-arn", "run-org", "accounts", "quotas-list", "quotas-history", "quotas-request"],
)
def test_a_hung_endpoint_is_never_silent(silent_endpoint, tmp_path, args, line):
    assert _first_stderr_line(args, silent_endpoint, tmp_path) == f"wa-audit: {line}…\n"


def test_unlisted_regions_are_said_in_the_summary_and_the_quiet_line():
    report = sample_report().model_copy(
        update={
            "regions": ("us-east-1",),
            "skipped_regions": (RegionNote(region=ALL_REGIONS, reason="cannot list regions (x)"),),
        }
    )
    assert "Regions: cannot list regions (x); audited us-east-1 only" in summary_text(report)
    assert "; regions not listed; " in quiet_line(report)
