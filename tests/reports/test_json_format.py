"""results.json is the Report, valid against the published schema, and loads back unchanged."""

from __future__ import annotations

import json

import jsonschema

from tests.sample_report import sample_report
from wa_audit.models import Report
from wa_audit.reports.json_format import FORMAT


def test_valid_against_schema_and_round_trips():
    report = sample_report()
    text = FORMAT.render(report)
    jsonschema.validate(json.loads(text), Report.model_json_schema())
    assert Report.model_validate_json(text) == report
    assert Report.model_validate(json.loads(text)) == report  # what a consumer's json.load gives


def test_schema_rejects_an_unknown_field():
    data = json.loads(FORMAT.render(sample_report()))
    data["findings"][0]["surprise"] = True
    validator = jsonschema.Draft202012Validator(Report.model_json_schema())
    assert any("surprise" in error.message for error in validator.iter_errors(data))


def test_schema_command_prints_the_same_schema(run_cli):
    result = run_cli("schema")
    assert json.loads(result.output) == Report.model_json_schema()
