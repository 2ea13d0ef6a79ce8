"""Lambda checks (runtime, secrets, failure destinations, arm64) against the sandbox, and their
edge cases on facts built in the test."""

from __future__ import annotations

from datetime import date

import pytest

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.checks.serverless_accounts import (
    REGION,
    REGIONS,
    findings_of,
    function_arn,
    region_resource,
    seed,
)
from tests.helpers import run_on_facts
from wa_audit.checks._lambda_runtimes import deprecation_dates
from wa_audit.checks._secrets import looks_secret
from wa_audit.checks.performance_serverless import LambdaRuntimeParams, lambda_runtime
from wa_audit.checks.security_serverless import lambda_plaintext_secrets
from wa_audit.facts.awslambda import LambdaFunction, functions
from wa_audit.models import Status

GOOD = {
    "region": REGION,
    "name": "good",
    "runtime": "python3.13",
    "architecture": "arm64",
    "tracing": True,
    "dead_letter_queue": True,
    "environment": {"DB_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:x"},
}
BAD = {
    "region": REGION,
    "name": "bad",
    "runtime": "python3.9",
    "environment": {"DB_PASSWORD": "hunter2hunter2", "LOG_LEVEL": "info"},
}
CHECKS = {
    "perf.lambda-runtime": ("SEC06-BP01", "OPS05-BP05", "PERF05-BP06", "SUS06-BP03"),
    "sec.lambda-plaintext-secrets": ("SEC02-BP03",),
    "rel.lambda-failure-destination": ("REL05-BP01",),
    "sus.lambda-graviton": ("SUS05-BP02",),
}
BAD_STATUS = {
    "perf.lambda-runtime": Status.FAIL,
    "sec.lambda-plaintext-secrets": Status.FAIL,
    "rel.lambda-failure-destination": Status.WARN,
    "sus.lambda-graviton": Status.WARN,
}


def test_compliant_functions_pass(sandbox):
    seed(
        sandbox,
        functions=[
            GOOD,
            {**GOOD, "name": "good2", "dead_letter_queue": False, "on_failure_queue": True},
        ],
    )
    report = audit(list(CHECKS), REGIONS)
    for check_id, practices in CHECKS.items():
        assert findings_of(report, check_id) == [(Status.PASS, region_resource(), REGION)]
        assert {f.best_practices for f in report.findings if f.check_id == check_id} == {practices}


def test_non_compliant_function_is_named(sandbox):
    seed(sandbox, functions=[GOOD, BAD])
    report = audit(list(CHECKS), REGIONS)
    for check_id, status in BAD_STATUS.items():
        assert findings_of(report, check_id) == [(status, function_arn("bad"), REGION)]
    [secret] = [f for f in report.findings if f.check_id == "sec.lambda-plaintext-secrets"]
    assert secret.evidence == {"variables": ["DB_PASSWORD"]}
    assert "hunter2" not in secret.model_dump_json()


def test_no_functions_is_not_applicable(sandbox):
    report = audit(list(CHECKS), REGIONS)
    assert {f.status for f in report.findings} == {Status.NOT_APPLICABLE}


def test_list_functions_denied_is_error(sandbox, monkeypatch):
    seed(sandbox, functions=[GOOD])
    sandbox.enforce_iam(monkeypatch, deny=["lambda:ListFunctions"])
    assert_errors_naming(audit(list(CHECKS), REGIONS).findings, "lambda:ListFunctions")


def test_event_invoke_configs_denied_is_error(sandbox, monkeypatch):
    seed(sandbox, functions=[GOOD])
    sandbox.enforce_iam(monkeypatch, deny=["lambda:ListFunctionEventInvokeConfigs"])
    findings = audit(["rel.lambda-failure-destination"], REGIONS).findings
    assert_errors_naming(findings, "lambda:ListFunctionEventInvokeConfigs")


def _function(name: str, runtime: str | None, **extra) -> LambdaFunction:
    values = {
        "name": name,
        "arn": function_arn(name),
        "runtime": runtime,
        "package_type": "Zip" if runtime else "Image",
        "architectures": ("x86_64",),
        "tracing_mode": None,
        "dead_letter_target": None,
        "environment": {},
        "environment_error": None,
    }
    return LambdaFunction(**{**values, **extra})


def test_runtime_warns_before_deprecation_and_skips_images():
    """On 2026-11-29 (tests' clock): nodejs20.x is past its date, ruby3.3 (2027-03-31) is within
    180 days, java21 is not; an image has no runtime; an unknown runtime has no known date."""
    found = (
        _function("old", "nodejs20.x"),
        _function("soon", "ruby3.3"),
        _function("fine", "java21"),
        _function("image", None),
        _function("future", "python99"),
    )
    findings = run_on_facts(lambda_runtime, {functions: found}, region=REGION, regions=REGIONS)
    assert [(f.status, f.resource) for f in findings] == [
        (Status.FAIL, function_arn("old")),
        (Status.WARN, function_arn("soon")),
    ]
    assert findings[1].evidence == {"runtime": "ruby3.3", "deprecation_date": "2027-03-31"}


def test_runtime_warning_window_is_a_parameter():
    found = (_function("soon", "ruby3.3"),)
    [finding] = run_on_facts(
        lambda_runtime,
        {functions: found},
        region=REGION,
        regions=REGIONS,
        params=LambdaRuntimeParams(warn_days=30),
    )
    assert (finding.status, finding.resource) == (Status.PASS, region_resource())


def test_deprecation_dates_are_dates():
    dates = deprecation_dates()
    assert dates["python3.9"] == date(2025, 12, 15)
    assert all(isinstance(value, date) for value in dates.values())


def test_undecryptable_environment_is_error():
    found = _function("locked", "python3.13", environment_error="KMSAccessDeniedException")
    [finding] = run_on_facts(
        lambda_plaintext_secrets, {functions: (found,)}, region=REGION, regions=REGIONS
    )
    assert (finding.status, finding.resource) == (Status.ERROR, function_arn("locked"))


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        ("DB_PASSWORD", "hunter2hunter2", True),
        ("API_KEY", "sk_live_0123456789", True),
        ("ANYTHING", "AKIAIOSFODNN7EXAMPLE", True),
        ("DB_PASSWORD_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:x", False),
        ("SECRET_NAME", "prod/db", False),
        ("API_TOKEN", "{{resolve:secretsmanager:x}}", False),
        ("TOKEN_TTL", "3600", False),
        ("PASSWORD_MIN_LENGTH", "12", False),
        ("USE_AUTH_KEY", "true", False),
        ("LOG_LEVEL", "info", False),
    ],
)
def test_secret_heuristic(name, value, secret):
    assert looks_secret(name, value) is secret
