"""The shape validator itself: it must catch what it claims to catch, or its passes mean nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sandbox.shapes import output_problems


def test_a_conforming_response_has_no_problems():
    response = {
        "analyzers": [
            {
                "arn": "arn:aws:access-analyzer:us-east-1:123456789012:analyzer/a",
                "name": "a",
                "type": "ACCOUNT",
                "createdAt": datetime(2026, 1, 1, tzinfo=UTC),
                "status": "ACTIVE",
            }
        ],
        "ResponseMetadata": {"HTTPStatusCode": 200},
    }
    assert output_problems("accessanalyzer", "ListAnalyzers", response) == []


def test_unknown_members_wrong_types_bad_enums_and_missing_members_are_reported():
    response = {
        "analyzers": [
            {
                "arn": "arn",
                "name": 7,
                "type": "EVERYTHING",
                "createdAt": "2026-01-01",
                "colour": "blue",
            }
        ]
    }
    assert sorted(output_problems("accessanalyzer", "ListAnalyzers", response)) == [
        "$.analyzers[0].colour: not a member of AnalyzerSummary",
        "$.analyzers[0].createdAt: expected timestamp, got str",
        "$.analyzers[0].name: expected string, got int",
        "$.analyzers[0].status: missing",
        "$.analyzers[0].type: 'EVERYTHING' is not one of "
        "['ACCOUNT', 'ORGANIZATION', 'ACCOUNT_UNUSED_ACCESS', 'ORGANIZATION_UNUSED_ACCESS', "
        "'ACCOUNT_INTERNAL_ACCESS', 'ORGANIZATION_INTERNAL_ACCESS']",
    ]
