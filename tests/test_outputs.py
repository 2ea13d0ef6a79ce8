"""Every format from `wa-audit run` and again from `wa-audit report`; dated folders; --quiet."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding

from tests.helpers import ROOT_CHECKS
from tests.sample_report import sample_report
from wa_audit.exitcodes import ExitCode
from wa_audit.output import run_directory

ALL = "json,csv,junit,sarif,ocsf,markdown"
FILES = [
    "results.json",
    "results.csv",
    "results.junit.xml",
    "results.sarif",
    "results.ocsf.jsonl",
    "results.md",
]
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


def test_run_writes_every_format_and_report_rerenders_them_identically(sandbox, run_cli, tmp_path):
    ran = tmp_path / "ran"
    result = run_cli(
        "run", *ROOT_CHECKS, "--region", "us-east-1", "--format", ALL, "--output-dir", str(ran)
    )
    assert result.exit_code == ExitCode.FAILED, result.output
    assert sorted(p.name for p in ran.iterdir()) == sorted(FILES)

    sarif = json.loads((ran / "results.sarif").read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    for line in (ran / "results.ocsf.jsonl").read_text().splitlines():
        ComplianceFinding.model_validate_json(line)
    suites = ET.parse(ran / "results.junit.xml").getroot()
    assert (suites.get("tests"), suites.get("failures")) == ("2", "1")
    assert (ran / "results.csv").read_text().count("\n") == 3

    again = tmp_path / "again"
    rendered = run_cli(
        "report", str(ran / "results.json"), "--format", ALL, "--output-dir", str(again)
    )
    assert rendered.exit_code == 0, rendered.output
    for name in FILES:
        assert (again / name).read_text() == (ran / name).read_text(), name


def test_report_prints_markdown_by_default(run_cli, tmp_path):
    path = tmp_path / "results.json"
    path.write_text(sample_report().model_dump_json())
    result = run_cli("report", str(path))
    assert result.exit_code == 0
    assert result.output.startswith("## wa-audit: account 123456789012\n")


def test_report_to_one_file(run_cli, tmp_path):
    path = tmp_path / "results.json"
    path.write_text(sample_report().model_dump_json())
    out = tmp_path / "code-scanning.sarif"
    result = run_cli("report", str(path), "--format", "sarif", "--output", str(out))
    assert result.exit_code == 0
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_report_refuses_ambiguous_destinations(run_cli, tmp_path):
    path = tmp_path / "results.json"
    path.write_text(sample_report().model_dump_json())
    several = run_cli("report", str(path), "--format", "csv,sarif")
    assert several.exit_code == ExitCode.USAGE
    assert "several formats need --output-dir" in several.output
    both = run_cli("report", str(path), "--output", "a", "--output-dir", "b")
    assert both.exit_code == ExitCode.USAGE
    unknown = run_cli("report", str(path), "--format", "sarf")
    assert unknown.exit_code == ExitCode.USAGE
    assert "unknown format 'sarf' (did you mean 'sarif'?)" in unknown.output


def test_quiet_prints_one_line(sandbox, run_cli, tmp_path):
    result = run_cli(
        "run",
        *ROOT_CHECKS,
        "--region",
        "us-east-1",
        "--pillar",
        "sec",
        "--quiet",
        "--output-dir",
        str(tmp_path),
    )
    assert result.output == "wa-audit: 1 FAIL (1 critical), 0 ERROR; score 50; exit 1\n"


def test_timestamped_runs_keep_their_folders_and_refresh_latest(sandbox, run_cli, tmp_path):
    first = run_cli(
        "run",
        *ROOT_CHECKS,
        "--quiet",
        "--timestamped",
        "--format",
        "json,csv",
        "--output-dir",
        str(tmp_path),
    )
    assert first.exit_code == ExitCode.FAILED
    second = run_cli(
        "run",
        *ROOT_CHECKS,
        "--quiet",
        "--timestamped",
        "--format",
        "json",
        "--output-dir",
        str(tmp_path),
    )
    assert second.exit_code == ExitCode.FAILED
    folders = sorted(p.name for p in tmp_path.iterdir() if p.name != "latest")
    assert len(folders) == 2
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d{6}Z(-\d+)?", name) for name in folders)
    newest = max(
        (tmp_path / name for name in folders),
        key=lambda p: json.loads((p / "results.json").read_text())["started_at"],
    )
    latest = tmp_path / "latest"
    assert sorted(p.name for p in latest.iterdir()) == ["results.json"]  # the stale csv is gone
    assert (latest / "results.json").read_text() == (newest / "results.json").read_text()


def test_run_directory_never_reuses_a_folder(tmp_path):
    started = datetime(2026, 11, 29, 21, 15, tzinfo=UTC)
    first = run_directory(tmp_path, timestamped=True, started=started)
    assert first == tmp_path / "2026-11-29T211500Z"
    assert first.is_dir()  # made here, so no other run can take it
    assert run_directory(tmp_path, timestamped=True, started=started) == (
        tmp_path / "2026-11-29T211500Z-2"
    )
    assert run_directory(tmp_path, timestamped=False, started=started) == tmp_path


def test_formats_command_lists_every_builtin(run_cli):
    result = run_cli("formats")
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == ["csv", "html", "json", "junit", "markdown", "ocsf", "sarif"]


def test_reports_get_ordinary_file_permissions(tmp_path):
    """mkstemp creates 0600 files; a report on a file share must be readable as any file is."""
    import os

    from wa_audit.formats import write_atomically

    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "results.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "results.json").stat().st_mode & 0o777 == 0o644
