"""Reading an earlier results.json back into a Report (``--baseline``, ``report``, ``diff``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from wa_audit.baseline import Baseline
from wa_audit.config import describe_validation_error
from wa_audit.errors import UsageError
from wa_audit.models import SCHEMA_VERSION, Report


def _major(version: str) -> str:
    return version.split(".", 1)[0]


def load_report(path: Path) -> Report:
    """The Report in ``path``; any problem is a one-line usage error naming the file.

    A file of another major schema version is refused rather than half-read: a baseline that
    silently lost its findings would make every failure look new.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise UsageError(f"results file {str(path)!r} does not exist") from error
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read results file {str(path)!r}: {error}") from error
    try:
        report = Report.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] == "json_invalid":
            raise UsageError(f"{path}: not JSON: {first['msg']}") from error
        detail = describe_validation_error(error, str(path))
        raise UsageError(f"not a wa-audit results file: {detail}") from error
    if _major(report.schema_version) != _major(SCHEMA_VERSION):
        raise UsageError(
            f"{path}: schema version {report.schema_version} cannot be read by this wa-audit "
            f"(schema {SCHEMA_VERSION})"
        )
    return report


def load_baseline(path: Path) -> Baseline:
    return Baseline(report=load_report(path), source=str(path))
