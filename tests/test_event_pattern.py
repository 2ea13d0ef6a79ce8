"""The EventBridge pattern matcher on its own: exact values, content filters, $or, invalid forms."""

from __future__ import annotations

import json

import pytest

from wa_audit.event_pattern import (
    field_matches,
    parse_pattern,
    pattern_admits,
    wildcard_expression,
)
from wa_audit.facts.events import admits_health_events, names_health

HEALTH = "aws.health"


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (["aws.health"], True),
        (["aws.ec2", "aws.health"], True),
        (["aws.ec2"], False),
        (["aws.health*"], False),  # a plain string is an exact value, not a wildcard
        (["AWS.Health"], False),
        ("aws.health", False),  # not a list: EventBridge rejects the pattern
        ([], False),
        ([None], False),
        ([42], False),
        ([{"prefix": "aws."}], True),
        ([{"prefix": "aws.healthy"}], False),
        ([{"prefix": {"equals-ignore-case": "AWS.HE"}}], True),
        ([{"suffix": ".health"}], True),
        ([{"suffix": {"equals-ignore-case": ".HEALTH"}}], True),
        ([{"suffix": ".healthy"}], False),
        ([{"equals-ignore-case": "AWS.Health"}], True),
        ([{"equals-ignore-case": "aws.healt"}], False),
        ([{"wildcard": "aws.health*"}], True),
        ([{"wildcard": "aws.*"}], True),
        ([{"wildcard": "*health"}], True),
        ([{"wildcard": "aws.h*h"}], True),
        ([{"wildcard": "aws.ec2*"}], False),
        ([{"wildcard": "aws.health**"}], False),  # consecutive wildcards are invalid
        ([{"wildcard": "aws\\.health"}], False),  # a backslash may only escape * or \
        ([{"anything-but": "aws.ec2"}], True),
        ([{"anything-but": "aws.health"}], False),
        ([{"anything-but": ["aws.ec2", "aws.s3"]}], True),
        ([{"anything-but": ["aws.ec2", "aws.health"]}], False),
        ([{"anything-but": {"prefix": "aws."}}], False),
        ([{"anything-but": {"prefix": "custom."}}], True),
        ([{"anything-but": {"suffix": "health"}}], False),
        ([{"anything-but": {"wildcard": "aws.*"}}], False),
        ([{"anything-but": {"wildcard": "custom.*"}}], True),
        ([{"anything-but": {"equals-ignore-case": "AWS.HEALTH"}}], False),
        ([{"anything-but": {"equals-ignore-case": ["x", "y"]}}], True),
        ([{"anything-but": 42}], True),  # a string is never the excluded number
        ([{"exists": True}], True),
        ([{"exists": False}], False),
        ([{"numeric": [">", 0]}], False),
        ([{"cidr": "10.0.0.0/8"}], False),
        ([{"prefix": "aws.", "suffix": "health"}], False),  # one filter per object
        ([{"unknown-filter": "aws.health"}], False),
        (["aws.ec2", {"prefix": "aws.he"}], True),
    ],
)
def test_field_matches_as_eventbridge_does(condition, expected):
    assert field_matches(condition, HEALTH) is expected


def test_wildcard_escapes():
    expression = wildcard_expression("a\\*b*")
    assert expression is not None
    assert expression.fullmatch("a*bcd")
    assert not expression.fullmatch("axbcd")
    backslash = wildcard_expression("a\\\\b")
    assert backslash is not None
    assert backslash.fullmatch("a\\b")
    assert wildcard_expression("trailing\\") is None


def test_unknown_fields_narrow_but_do_not_refuse():
    pattern = {"source": ["aws.health"], "detail": {"service": ["EC2"]}, "region": ["eu-west-1"]}
    assert pattern_admits(pattern, {"source": HEALTH})


def test_every_known_field_must_match():
    pattern = {"source": ["aws.health"], "detail-type": ["AWS API Call via CloudTrail"]}
    assert not pattern_admits(pattern, {"source": HEALTH, "detail-type": "AWS Health Event"})
    assert pattern_admits(pattern, {"source": HEALTH})


def test_or_takes_any_branch_and_needs_two_objects():
    either = {"$or": [{"source": ["aws.ec2"]}, {"source": ["aws.health"]}]}
    neither = {"$or": [{"source": ["aws.ec2"]}, {"source": ["aws.s3"]}]}
    assert pattern_admits(either, {"source": HEALTH})
    assert not pattern_admits(neither, {"source": HEALTH})
    # One branch only: EventBridge reads "$or" as an ordinary field name, which events lack.
    assert pattern_admits({"$or": [{"source": ["aws.ec2"]}]}, {"source": HEALTH})


@pytest.mark.parametrize(
    ("pattern", "admits", "named"),
    [
        ({"source": ["aws.health"]}, True, True),
        ({"source": ["aws.health"], "detail-type": ["AWS Health Abuse Event"]}, True, True),
        ({"source": ["aws.health"], "detail-type": ["AWS API Call via CloudTrail"]}, False, True),
        ({"source": ["aws.health*"]}, False, True),
        ({"source": [{"wildcard": "aws.health*"}]}, True, True),
        ({"detail-type": ["AWS Health Event"]}, True, False),  # no source: any source matches
        ({"source": ["aws.ec2"]}, False, False),
        ({"source": ["aws.healthlake"]}, False, False),  # another service
    ],
)
def test_health_events(pattern, admits, named):
    assert admits_health_events(pattern) is admits
    assert names_health(pattern) is named


@pytest.mark.parametrize("text", [None, "", "not json", "[1, 2]", "42"])
def test_parse_pattern_refuses_non_objects(text):
    assert parse_pattern(text) is None


def test_parse_pattern_reads_an_object():
    assert parse_pattern(json.dumps({"source": [HEALTH]})) == {"source": [HEALTH]}
