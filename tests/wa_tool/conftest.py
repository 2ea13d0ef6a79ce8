"""One audited sample account per module: its results.json, and a full answers file for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import Sandbox, sandbox_env
from wa_audit.cli import cli
from wa_audit.models import BestPracticeStatus, Report
from wa_audit.sandbox.server import SandboxServer

RUN_DATE = "2026-11-30"
# Unassessed best practices get these answers in turn, so every question risk shows up.
PATTERN = ("met", "not_met", "met", "not_applicable", "met")


def run_audit(out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(
        cli,
        ["run", "--region", "us-east-1", "--output-dir", str(out), "--fail-on", "never", *extra],
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 3), result.output
    return out / "results.json"


def full_answers(report: Report) -> str:
    """Every best practice answered: what its checks say where they say it, the pattern elsewhere."""
    lines = []
    index = 0
    for question in report.questions:
        for bp in question.best_practices:
            if bp.status is BestPracticeStatus.UNKNOWN and question.label == "SUS 1":
                status = "not_applicable"  # a whole question not applicable
            elif bp.status is BestPracticeStatus.UNKNOWN:
                status = PATTERN[index % len(PATTERN)]
                index += 1
            else:
                status = bp.status.value
            lines += [f'[answers."{bp.id}"]', f'status = "{status}"', 'note = "review 11/30"']
            lines.append(f"date = {RUN_DATE}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def audit_runs(
    sandbox_server: SandboxServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Path, Path]]:
    """The sample scenario audited twice: as is, and with every best practice answered.

    (results.json, answers.toml, results.json of the answered run); the account is emptied
    by the next test's reset, which is fine: push reads only the files.
    """
    out = tmp_path_factory.mktemp("audit")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in sandbox_env(sandbox_server.url).items():
            patch.setenv(name, value)
        sandbox_server.reset()
        Sandbox(sandbox_server.url, sandbox_server.state).seed("sample")
        plain = run_audit(out / "plain")
        answers = out / "answers.toml"
        answers.write_text(full_answers(Report.model_validate_json(plain.read_text())))
        yield plain, answers, run_audit(out / "answered", "--answers", str(answers))


@pytest.fixture(scope="module")
def audited(audit_runs: tuple[Path, Path, Path]) -> Path:
    return audit_runs[0]


@pytest.fixture(scope="module")
def answers_file(audit_runs: tuple[Path, Path, Path]) -> Path:
    return audit_runs[1]


@pytest.fixture(scope="module")
def answered_run(audit_runs: tuple[Path, Path, Path]) -> Path:
    return audit_runs[2]
