"""`wa-audit demo` as a user runs it: a subprocess, loopback only, the normal exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def _demo(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.run(
        [sys.executable, "-m", "wa_audit", "demo", "--output-dir", str(tmp_path), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
        check=False,
    )


def test_sample_account_fails_with_exit_1(tmp_path):
    result = _demo(tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["regions"] == ["us-east-1", "eu-west-1"]
    assert "sec.root-mfa" in result.stdout


def test_clean_scenario_passes_with_exit_0(tmp_path):
    result = _demo(tmp_path, "--scenario", "clean")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "results.json").read_text())
    assert {f["status"] for f in report["findings"]} <= {"PASS", "NOT_APPLICABLE"}


@pytest.mark.parametrize("scenario", ["nonesuch"])
def test_unknown_scenario_is_usage_error(tmp_path, scenario):
    result = _demo(tmp_path, "--scenario", scenario)
    assert result.returncode == 2
    assert "unknown scenario 'nonesuch'" in result.stderr
