"""The raw-body check and the per-call retry budget (wa_audit/call_guard.py)."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from wa_audit.aws import AwsSession
from wa_audit.call_guard import body_problem
from wa_audit.models import Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit


def _operation(service: str, name: str) -> Any:
    return botocore.session.get_session().get_service_model(service).operation_model(name)


def _response(body: Any, status: int = 200, **headers: str) -> dict[str, Any]:
    if isinstance(body, bytes):
        headers.setdefault("content-length", str(len(body)))
    return {"status_code": status, "headers": headers, "body": body}


@pytest.mark.parametrize(
    ("service", "operation", "body", "problem"),
    [
        ("budgets", "DescribeBudgets", b'{"Budgets": []}', None),
        ("budgets", "DescribeBudgets", b"", None),  # botocore reads an empty body as {}
        ("budgets", "DescribeBudgets", b"<html>502</html>", "body is not valid JSON"),
        ("budgets", "DescribeBudgets", b'{"Budgets": [', "body is not valid JSON"),
        ("budgets", "DescribeBudgets", b"[]", "body is not a JSON object"),
        ("guardduty", "ListDetectors", b"\x00garbage", "body is not valid JSON"),
        (
            "ec2",
            "DescribeVolumes",
            b"<DescribeVolumesResponse><volumeSet>",
            "body is not valid XML",
        ),
        (  # an HTML page with HTTP 200 (a captive portal, a proxy) is not the answer
            "iam",
            "GetAccountSummary",
            b"<html><body>maintenance</body></html>",
            "root element is 'html', not 'GetAccountSummaryResponse'",
        ),
        (
            "ec2",
            "DescribeVolumes",
            b'<DescribeVolumesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
            b"<volumeSet/></DescribeVolumesResponse>",
            None,
        ),
        (  # another operation's answer is not this one's
            "ec2",
            "DescribeVolumes",
            b"<DescribeSnapshotsResponse><snapshotSet/></DescribeSnapshotsResponse>",
            "root element is 'DescribeSnapshotsResponse', not 'DescribeVolumesResponse'",
        ),
        ("ec2", "DescribeVolumes", b"  ", "body is empty"),
        ("sns", "ListTopics", b"", "body is empty"),
        ("s3", "ListBuckets", b"<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>", None),
        (
            "s3",
            "ListBuckets",
            b"<HTML><BODY>sign in</BODY></HTML>",
            "body is an HTML page, not XML",
        ),
        ("s3", "HeadBucket", b"", None),  # no body to answer with
        (  # a structure payload is XML too
            "s3",
            "GetBucketEncryption",
            b"<html><body>502</body></html>",
            "body is an HTML page, not XML",
        ),
        ("s3", "GetBucketPolicy", b"<html>not XML but the policy text as sent</html>", None),
    ],
)
def test_a_body_that_is_not_the_protocols_is_a_problem(service, operation, body, problem):
    assert body_problem(_operation(service, operation), _response(body)) == problem


def test_a_body_shorter_than_its_content_length_is_a_problem():
    response = _response(b'{"Budgets": []}', **{"content-length": "400"})
    problem = body_problem(_operation("budgets", "DescribeBudgets"), response)
    assert problem == "body is 15 bytes, Content-Length says 400"


def test_error_bodies_are_left_to_botocore():
    """botocore parses error bodies leniently; the status and code make the reason."""
    response = _response(b"<!DOCTYPE html><html>", status=502)
    assert body_problem(_operation("budgets", "DescribeBudgets"), response) is None


def test_streamed_output_is_not_read():
    response = _response(object())
    assert body_problem(_operation("s3", "GetObject"), response) is None


def test_retries_end_when_the_call_is_out_of_time(sandbox):
    """Throttled for ever with 8 attempts allowed: a spent budget stops after the first."""
    sandbox.state.faults.throttle("iam", "GetAccountSummary", times=100)
    report = run_audit(
        AwsSession(max_attempts=8, call_timeout=0.001),
        select(discover(), include=["sec.root-mfa"]),
        RunOptions(regions=("us-east-1",)),
    )
    [finding] = report.findings
    assert finding.status is Status.ERROR
    assert "throttled by AWS on iam:GetAccountSummary after retries" in finding.message
    assert sandbox.state.faults.throttles[("iam", "GetAccountSummary")] == 99
