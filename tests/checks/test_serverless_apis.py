"""API Gateway stage checks (logging, throttling, tracing) against the sandbox: REST and HTTP APIs."""

from __future__ import annotations

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.checks.serverless_accounts import REGION, REGIONS, findings_of, region_resource, seed
from wa_audit.models import Status

CHECKS = {
    "ops.apigw-logging": ("OPS08-BP02", "SEC04-BP01"),
    "rel.apigw-throttling": ("REL05-BP02", "COST09-BP02", "SUS02-BP06"),
    "ops.tracing": ("OPS04-BP05", "OPS08-BP03", "REL06-BP07"),
}
GOOD_REST = {
    "region": REGION,
    "name": "good-rest",
    "protocol": "REST",
    "access_logs": True,
    "tracing": True,
    "throttle_rate": 100.0,
}
GOOD_HTTP = {
    "region": REGION,
    "name": "good-http",
    "protocol": "HTTP",
    "stage": "$default",
    "access_logs": True,
    "throttle_rate": 50.0,
}


def _stage_arns(sandbox) -> dict[str, str]:
    rest = sandbox.client("apigateway").get_rest_apis()["items"]
    http = sandbox.client("apigatewayv2").get_apis()["Items"]
    arns = {
        api["name"]: f"arn:aws:apigateway:{REGION}::/restapis/{api['id']}/stages/prod"
        for api in rest
    }
    arns |= {
        api["Name"]: f"arn:aws:apigateway:{REGION}::/apis/{api['ApiId']}/stages/$default"
        for api in http
    }
    return arns


def test_compliant_stages_pass(sandbox):
    seed(
        sandbox,
        apis=[
            GOOD_REST,
            # Execution logging alone and a usage plan's throttle count too.
            {
                **GOOD_REST,
                "name": "plan-rest",
                "access_logs": False,
                "execution_logging": "ERROR",
                "throttle_rate": None,
                "usage_plan_rate": 10.0,
            },
            GOOD_HTTP,
        ],
    )
    report = audit(list(CHECKS), REGIONS)
    for check_id, practices in CHECKS.items():
        assert findings_of(report, check_id) == [(Status.PASS, region_resource(), REGION)]
        assert {f.best_practices for f in report.findings if f.check_id == check_id} == {practices}


def test_console_default_stages_fail(sandbox):
    seed(
        sandbox,
        apis=[
            GOOD_REST,
            GOOD_HTTP,
            {"region": REGION, "name": "bare-rest", "protocol": "REST"},
            {"region": REGION, "name": "bare-http", "protocol": "HTTP", "stage": "$default"},
        ],
    )
    arns = _stage_arns(sandbox)
    report = audit(list(CHECKS), REGIONS)
    bare = [(Status.FAIL, arns["bare-rest"], REGION), (Status.FAIL, arns["bare-http"], REGION)]
    assert findings_of(report, "ops.apigw-logging") == bare
    assert findings_of(report, "rel.apigw-throttling") == bare
    # HTTP APIs cannot trace with X-Ray: only the REST stage is judged.
    assert findings_of(report, "ops.tracing") == [(Status.FAIL, arns["bare-rest"], REGION)]


def test_api_gateway_denied_is_error(sandbox, monkeypatch):
    seed(sandbox, apis=[GOOD_REST])
    sandbox.enforce_iam(monkeypatch, deny=["apigateway:GET"])
    findings = audit(["ops.apigw-logging", "rel.apigw-throttling"], REGIONS).findings
    assert_errors_naming(findings, "apigateway:GET")
