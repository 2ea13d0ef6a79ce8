"""AWS's errors in one line with the HTTP status and the AWS code (wa_audit/reasons.py), wherever
they are shown: never a whole HTML page, never an empty ``: :``, never a made-up "Unknown"."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from wa_audit.aws import AwsSession
from wa_audit.config import Config
from wa_audit.org.assume import RoleNotAssumed, assumed_session, role_arn
from wa_audit.reasons import error_answer
from wa_audit.wa_tool.client import WaToolClient, WaToolError

PAGE = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n" + "<p>x</p>\n" * 300


def _error(status: int | None, code: str | None, message: str | None) -> ClientError:
    response: dict[str, Any] = {"Error": {}, "ResponseMetadata": {}}
    if code is not None:
        response["Error"]["Code"] = code
    if message is not None:
        response["Error"]["Message"] = message
    if status is not None:
        response["ResponseMetadata"]["HTTPStatusCode"] = status
    return ClientError(response, "GetCallerIdentity")


@pytest.mark.parametrize(
    ("error", "with_status", "without_status"),
    [
        (
            _error(502, "502", PAGE),
            "HTTP 502 (no AWS error code): 502 Bad Gateway",
            "HTTP 502 (no AWS error code): 502 Bad Gateway",  # no code: the status is all there is
        ),
        (_error(500, "", ""), "HTTP 500 (no AWS error code)", "HTTP 500 (no AWS error code)"),
        (_error(None, None, None), "(no AWS error code)", "(no AWS error code)"),
        (
            _error(400, "ValidationException", "bad\nsecond line"),
            "HTTP 400 ValidationException: bad",
            "ValidationException: bad",
        ),
    ],
)
def test_an_answer_is_one_line_with_status_and_code(error, with_status, without_status):
    assert error_answer(error) == with_status
    assert error_answer(error, status=False) == without_status


def test_a_role_behind_an_html_page_is_named_by_its_status(sandbox):
    """Before: the code botocore made of the status, then the page's first line, whatever it was."""
    sandbox.state.faults.break_operation("sts", "AssumeRole", "html-500")
    arn = role_arn("aws", "210987654321", "Auditor")
    with pytest.raises(RoleNotAssumed) as raised:
        assumed_session(
            AwsSession(max_attempts=2),
            arn,
            external_id=None,
            region="us-east-1",
            config=Config(max_attempts=2),
        )
    assert str(raised.value) == f"cannot assume {arn} (sts:AssumeRole HTTP 500 (no AWS error code))"
    sandbox.state.clear_faults()


def test_the_well_architected_tool_behind_an_html_page_is_named_by_its_status(sandbox):
    """Before: "…failed ListWorkloads: 500: " and then the whole HTML page."""
    sandbox.state.faults.break_operation("wellarchitected", "ListWorkloads", "html-500")
    with pytest.raises(WaToolError) as raised:
        WaToolClient(AwsSession(max_attempts=2), "us-east-1").find_workload("shop")
    assert str(raised.value).startswith(
        "the Well-Architected Tool failed ListWorkloads: HTTP 500 (no AWS error code)"
    )
    assert "\n" not in str(raised.value)
    sandbox.state.clear_faults()
