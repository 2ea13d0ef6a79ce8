"""Whatever a fetch does, its slot ends with a value or a failure, and the reason is one line."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from botocore.parsers import ResponseParserError

from wa_audit.aws import AwsSession, Identity
from wa_audit.defaults import MAX_RUN_TIMEOUT
from wa_audit.errors import UsageError
from wa_audit.facts.base import FetchContext, fact, result_key_may_be_absent
from wa_audit.facts.store import Deadline, FactStore, FactUnavailable, classify_error

IDENTITY = Identity(
    account_id="123456789012", arn="arn:aws:iam::123456789012:root", partition="aws"
)
HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n" + "<p>x</p>\n" * 500
)


def _store(**kwargs: Any) -> FactStore:
    return FactStore(AwsSession(), IDENTITY, **kwargs)


def _failing(raised: BaseException) -> Any:
    @fact("test.failing", regional=True, permissions=["ec2:DescribeVolumes"])
    def failing(ctx: FetchContext) -> str:
        raise raised

    return failing


@pytest.mark.parametrize(
    "raised",
    [
        KeyError("BucketRegion"),
        ResponseParserError("Unable to parse response (mismatched tag), invalid XML received:\n<a"),
        RuntimeError("a bug in one fetch"),
    ],
)
def test_any_exception_is_the_facts_failure_and_stays_one(raised):
    """Before: the exception escaped the first get() and a later get() returned None."""
    store = _store()
    failing = _failing(raised)
    with pytest.raises(FactUnavailable) as first:
        store.get(failing, "us-east-1")
    with pytest.raises(FactUnavailable) as again:
        store.get(failing, "us-east-1")
    assert again.value.failure == first.value.failure
    assert "\n" not in first.value.failure.reason
    assert [name for name, _, _ in store.failures()] == ["test.failing"]


def test_an_interrupted_fetch_leaves_a_failure_not_none():
    """KeyboardInterrupt still propagates, but the slot says why it has no value."""
    store = _store()
    failing = _failing(KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        store.get(failing, "us-east-1")
    with pytest.raises(FactUnavailable) as later:
        store.get(failing, "us-east-1")
    assert later.value.failure.reason == "not fetched: the fetch was interrupted"


def test_after_the_deadline_nothing_is_fetched():
    calls = []

    @fact("test.counted", regional=False, permissions=["iam:GetAccountSummary"])
    def counted(ctx: FetchContext) -> int:
        calls.append(1)
        return 1

    store = _store(deadline=Deadline(seconds=7, at=0.0))  # expired long ago
    with pytest.raises(FactUnavailable) as missing:
        store.get(counted, "us-east-1")
    assert missing.value.failure.reason == "not fetched: run timed out after 7 s"
    assert calls == []


def _client_error(status: int, code: str, message: str) -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "DescribeAccountAttributes")


@pytest.mark.parametrize("seconds", [1e12, float("inf")])
def test_a_deadline_longer_than_a_thread_can_wait_is_no_overflow(seconds):
    """Before: ``timeout = inf`` or ``1e12`` made prefetch's queue wait raise OverflowError."""

    @fact("test.one", regional=False, permissions=["iam:GetAccountSummary"])
    def one(ctx: FetchContext) -> int:
        return 1

    store = _store(deadline=Deadline.after(seconds))
    assert store.deadline is not None
    assert store.deadline.left() == MAX_RUN_TIMEOUT
    assert store.prefetch([(one, "us-east-1")], workers=1) is None
    assert store.get(one, "us-east-1") == 1


@pytest.mark.parametrize("seconds", [float("nan"), 0.0, -5.0])
def test_a_deadline_needs_a_positive_number_of_seconds(seconds):
    with pytest.raises(UsageError, match="timeout must be a positive number of seconds"):
        Deadline.after(seconds)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            _client_error(500, "500", HTML_PAGE),
            "rds:DescribeAccountAttributes failed: HTTP 500 (no AWS error code): 502 Bad Gateway",
        ),
        (
            _client_error(503, "", ""),
            "rds:DescribeAccountAttributes failed: HTTP 503 (no AWS error code)",
        ),
        (
            _client_error(400, "InvalidParameterValue", "Bad value\nsecond line"),
            "rds:DescribeAccountAttributes failed: HTTP 400 InvalidParameterValue: Bad value",
        ),
        (
            ReadTimeoutError(endpoint_url="https://rds.us-east-1.amazonaws.com/"),
            "rds:DescribeAccountAttributes failed: no answer in time "
            '(Read timeout on endpoint URL: "https://rds.us-east-1.amazonaws.com/")',
        ),
        (
            KeyError("AccountQuotas"),
            "rds:DescribeAccountAttributes: unexpected response: no 'AccountQuotas' in it",
        ),
    ],
)
def test_reasons_are_one_line_naming_operation_status_and_code(error, reason):
    failure = classify_error(error, _failing(error), "rds:DescribeAccountAttributes")
    assert failure.reason == reason
    assert len(failure.reason) < 250


@pytest.mark.parametrize(
    ("service", "operation", "result_key", "may_be_absent"),
    [
        ("dynamodb", "ListTables", "TableNames", False),  # awsJson: the service sends []
        ("lambda", "ListFunctions", "Functions", False),  # restJson likewise
        ("guardduty", "ListDetectors", "DetectorIds", False),  # required in the model
        ("ec2", "DescribeVolumes", "Volumes", True),  # an empty <volumeSet/> may be left out
        ("s3", "ListObjectsV2", "Contents", True),  # no <Contents> in an empty bucket
        ("sns", "ListTopics", "Topics", True),
    ],
)
def test_a_missing_result_key_means_none_only_where_aws_leaves_empty_lists_out(
    service, operation, result_key, may_be_absent
):
    model = botocore.session.get_session().get_service_model(service).operation_model(operation)
    assert result_key_may_be_absent(model, result_key) is may_be_absent
