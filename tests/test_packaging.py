"""The wheel adds exactly one top-level package, with the pillar modules, data and templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("wa_audit-*.whl")
    return built


def test_wheel_has_one_top_level_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {
        name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
    }
    assert top_level == {"wa_audit"}
    assert "wa_audit/checks/security.py" in names
    assert "wa_audit/reports/json_format.py" in names
    for template in ("scorecard.html.j2", "charts.html.j2", "scorecard.css", "scorecard.js"):
        assert f"wa_audit/reports/templates/{template}" in names


def test_wheel_declares_entry_points(wheel):
    archive = zipfile.ZipFile(wheel)
    [entry_points] = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
    text = archive.read(entry_points).decode()
    assert "[wa_audit.checks]" in text
    assert "security = wa_audit.checks.security" in text
    assert "wa-audit = wa_audit.cli:main" in text
    for name in ("json", "csv", "junit", "sarif", "ocsf", "markdown"):
        assert f"{name} = wa_audit.reports.{name}_format:FORMAT" in text


PACKAGE_DIRS = {
    "wa_audit": "wa_audit",
    "checks": "wa_audit/checks",
    "questions": "wa_audit/questions",
    "reports": "wa_audit/reports",
}


def test_wheel_carries_every_data_file(wheel):
    """Data read at run time (quota defaults, scenarios, templates, prices) must ship in the wheel."""
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"{target}/{path.relative_to(ROOT / source).as_posix()}"
        for source, target in PACKAGE_DIRS.items()
        for path in (ROOT / source).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }
    assert expected - names == set()
