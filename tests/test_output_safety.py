"""Output problems are found before the audit (exit 2, one line); one run per folder at a time.

"Before the audit" is proven by pointing AWS at a port where nothing listens: a run that got as
far as its first AWS call would exit 4, not 2.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.sample_report import sample_report
from wa_audit.exitcodes import ExitCode
from wa_audit.output import run_directory
from wa_audit.output_lock import LOCK_NAME, output_lock


@pytest.fixture
def unreachable_aws(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


def _one_error_line(result, expected: str) -> None:
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output == f"wa-audit: error: {expected}\n"


def test_output_dir_that_is_a_file(unreachable_aws, run_cli, tmp_path):
    target = tmp_path / "results"
    target.write_text("")
    config = tmp_path / "wa-audit.toml"
    config.write_text(f'output_dir = "{target}"\n')
    result = run_cli("run", "--config", str(config))
    _one_error_line(result, f"output directory {target} is a file, not a directory")
    flag = run_cli("run", "--output-dir", str(target))  # before: click's four-line usage block
    _one_error_line(flag, f"output directory {target} is a file, not a directory")


def test_output_dir_whose_parent_is_a_file(unreachable_aws, run_cli, tmp_path):
    parent = tmp_path / "file"
    parent.write_text("")
    result = run_cli("run", "--output-dir", str(parent / "out"))
    _one_error_line(result, f"cannot create output directory {parent / 'out'}: {parent} is a file")


def test_results_json_that_is_a_directory(unreachable_aws, run_cli, tmp_path):
    (tmp_path / "results.json").mkdir()
    result = run_cli("run", "--output-dir", str(tmp_path), "--format", "json")
    _one_error_line(result, f"cannot write {tmp_path / 'results.json'}: it is a directory")


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs a read-only /sys")
def test_output_dir_not_writable(unreachable_aws, run_cli):
    """/sys/kernel refuses new files even to root (a chmod'ed folder would not stop root)."""
    result = run_cli("run", "--output-dir", "/sys/kernel")
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output.startswith("wa-audit: error: cannot write in /sys/kernel: ")
    assert len(result.output.splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_output_dir_without_write_permission(unreachable_aws, run_cli, tmp_path):
    tmp_path.chmod(0o500)
    try:
        result = run_cli("run", "--output-dir", str(tmp_path))
    finally:
        tmp_path.chmod(0o700)
    _one_error_line(result, f"output directory {tmp_path} is not writable")


def _results_json(tmp_path: Path) -> Path:
    path = tmp_path / "results.json"
    path.write_text(sample_report().model_dump_json())
    return path


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs a read-only /sys")
def test_report_output_into_a_folder_that_refuses_files(run_cli, tmp_path):
    """Before: os.access told root yes, and the write ended in "internal error PermissionError"."""
    result = run_cli("report", str(_results_json(tmp_path)), "--output", "/sys/kernel/x.md")
    _one_error_line(result, "cannot write in /sys/kernel: Permission denied")


@pytest.mark.parametrize("length", [250, 300], ids=["at-write", "at-check"])
def test_report_output_the_file_system_refuses_is_one_line(run_cli, tmp_path, length):
    """The folder takes files, but not this name: 250 characters pass the check and fail at the
    write (its temporary file's name is longer), 300 fail the check."""
    too_long = tmp_path / ("x" * (length - 3) + ".md")
    result = run_cli("report", str(_results_json(tmp_path)), "--output", str(too_long))
    _one_error_line(result, f"cannot write {too_long}: File name too long")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]  # no temporary left


def test_report_output_into_a_missing_folder(run_cli, tmp_path):
    path = tmp_path / "results.json"
    path.write_text(sample_report().model_dump_json())
    missing = tmp_path / "no-such-folder" / "summary.md"
    result = run_cli("report", str(path), "--output", str(missing))
    _one_error_line(result, f"cannot write {missing}: folder {missing.parent} does not exist")
    assert not missing.parent.exists()


def test_second_run_into_a_folder_in_use_exits_2_naming_the_first(
    unreachable_aws, run_cli, tmp_path
):
    with output_lock(tmp_path):  # the first run, still writing
        result = run_cli("run", "--output-dir", str(tmp_path))
    _one_error_line(
        result,
        f"another wa-audit run (pid {os.getpid()}) is writing to {tmp_path}: "
        "wait for it to finish or choose another --output-dir",
    )
    assert list(tmp_path.iterdir()) == []  # the first run's lock file went with it


def test_lock_is_free_again_after_a_run(tmp_path):
    with output_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"
    with output_lock(tmp_path):
        pass
    assert not (tmp_path / LOCK_NAME).exists()


def test_runs_started_in_the_same_second_never_share_a_folder(tmp_path):
    started = datetime(2026, 11, 29, 21, 15, tzinfo=UTC)
    folders: list[Path] = []
    gate = threading.Barrier(4)

    def start_run() -> None:
        gate.wait()
        folders.append(run_directory(tmp_path, timestamped=True, started=started))

    threads = [threading.Thread(target=start_run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(p.name for p in folders) == [
        "2026-11-29T211500Z",
        "2026-11-29T211500Z-2",
        "2026-11-29T211500Z-3",
        "2026-11-29T211500Z-4",
    ]
    assert all(folder.is_dir() for folder in folders)


def test_a_run_that_writes_nothing_leaves_no_folder_behind(unreachable_aws, run_cli, tmp_path):
    target = tmp_path / "new" / "results"
    result = run_cli("run", "--output-dir", str(target), "--timestamped")
    assert result.exit_code == ExitCode.CANNOT_AUDIT, result.output  # it got as far as AWS
    assert list(tmp_path.iterdir()) == []
