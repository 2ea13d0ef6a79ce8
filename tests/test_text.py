"""Counted nouns read as English: "1 day", "7 patches", never "1 day(s)" or "1 checks"."""

from __future__ import annotations

import re

import pytest

from wa_audit.console import summary_text
from wa_audit.text import agree, every, noun, plural

# "(s)" and "(es)" hedges, and "1" before a plural noun; words that merely end in s in the
# singular (access, status, address, analysis) are not plurals.
NOT_ENGLISH = re.compile(r"\((?:e?s|ies)\)|(?<![\w.:-])1 (?![a-z]*(?:ss|us|is)\b)[A-Za-z]+s\b")


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [
        (1, "day", "1 day"),
        (2, "day", "2 days"),
        (0, "alarm", "0 alarms"),
        (1, "patch", "1 patch"),
        (7, "patch", "7 patches"),
        (3, "cost category", "3 cost categories"),
        (2, "active access key", "2 active access keys"),
        (2, "AMI", "2 AMIs"),
        (2, "child", "2 children"),
    ],
)
def test_plural(count, word, expected):
    irregular = "children" if word == "child" else None
    assert plural(count, word, irregular) == expected


def test_noun_agree_and_every():
    assert noun(1, "account") == "account"
    assert noun(2, "account") == "accounts"
    assert (agree(1, "has", "have"), agree(2, "has", "have")) == ("has", "have")
    assert every(1, "function") == "The only function"
    assert every(3, "function") == "All 3 functions"


def test_the_pattern_catches_what_it_should():
    for bad in (
        "keeps backups only 1 day(s)",
        "missing 7 patch(es)",
        "(1 AMIs checked)",
        "1 checks",
    ):
        assert NOT_ENGLISH.search(bad), bad
    for good in (
        "1 access key",
        "1 status",
        "21 days",
        "1 day",
        "1 of 2 resources",
        "1 EBS volume",
        "eu-west-1 matches",
        "(source aws.health)",
    ):
        assert not NOT_ENGLISH.search(good), good


def test_the_sample_accounts_messages_and_summary_read_as_english(sample_report):
    """Every message of the sample account's audit, and the terminal summary of it."""
    bad = [
        f"{f.check_id}: {f.message}"
        for f in sample_report.findings
        if NOT_ENGLISH.search(f.message)
    ]
    assert bad == [], "\n".join(bad)
    summary = summary_text(sample_report)
    assert NOT_ENGLISH.findall(summary) == []
    one = sample_report.model_copy(update={"regions": sample_report.regions[:1]})
    assert "1 region, " in summary_text(one)
