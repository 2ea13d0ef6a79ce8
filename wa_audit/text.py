"""Counted nouns in English: "1 day", "2 days", "1 patch", "7 patches", never "1 day(s)"."""

from __future__ import annotations

SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")


def plural_of(word: str) -> str:
    """The regular English plural: days, patches, policies (irregular ones are passed in)."""
    if word.endswith(SIBILANT_ENDINGS):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def plural(count: int, word: str, plural: str | None = None) -> str:
    """``count`` and the noun in the form that count takes: ``plural(1, "day") == "1 day"``."""
    return f"{count} {noun(count, word, plural)}"


def noun(count: int, word: str, plural: str | None = None) -> str:
    """The noun alone, as ``count`` takes it: "trusts account 1111…" / "trusts accounts 1111, 2222"."""
    return word if count == 1 else (plural or plural_of(word))


def agree(count: int, singular: str, plural: str) -> str:
    """The verb as ``count`` takes it: ``agree(1, "has", "have")`` → "has"."""
    return singular if count == 1 else plural


def every(count: int, word: str, plural: str | None = None) -> str:
    """The start of "they all pass": "All 3 functions", or "The only function" for one."""
    return f"The only {word}" if count == 1 else f"All {count} {noun(count, word, plural)}"
