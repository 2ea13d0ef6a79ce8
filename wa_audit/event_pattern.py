"""Does an EventBridge event pattern let a given event through? Evaluated on the fields we know.

wa-audit needs one question answered: would a rule deliver AWS Health events? Such an event has
``source`` ``aws.health`` and ``detail-type`` ``AWS Health Event``; its other fields (``detail``,
``region``, ``resources`` …) vary, so a pattern is judged on the known fields only and any filter on
the others counts as a narrowing, not a refusal.

The semantics follow EventBridge (and its open-source engine, aws/event-ruler): a field's value in a
pattern is always a list, matching when any element does; an element is an exact JSON value or one
content filter: ``prefix``, ``suffix`` (both optionally ``{"equals-ignore-case": …}``),
``equals-ignore-case``, ``wildcard`` (``*`` any run of characters, ``\\*`` a literal asterisk, ``\\\\`` a
backslash), ``anything-but`` (a value, a list, or ``prefix`` / ``suffix`` / ``equals-ignore-case`` /
``wildcard``), ``exists``, and ``numeric`` / ``cidr`` (never true for a string). ``$or`` takes a list
of alternative sub-patterns. Anything else (a bare string instead of a list, an unknown filter) is a
pattern EventBridge would reject, and so matches nothing here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

OR_KEY = "$or"


def parse_pattern(text: str | None) -> dict[str, Any] | None:
    """The pattern as a JSON object, or None when it is missing or not an object."""
    if not text:
        return None
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def pattern_admits(pattern: Mapping[str, Any], known: Mapping[str, str]) -> bool:
    """True when some event with these ``known`` top-level string fields can match ``pattern``.

    Fields of the pattern that ``known`` does not name are not judged (they narrow which events
    of that kind pass, they cannot exclude the kind).
    """
    for key, condition in pattern.items():
        if key == OR_KEY and _is_or_list(condition):
            if not any(pattern_admits(branch, known) for branch in condition):
                return False
        elif key in known and not field_matches(condition, known[key]):
            return False
    return True


def field_matches(condition: Any, value: str) -> bool:
    """EventBridge's verdict for one field: ``condition`` is the pattern's list for the field."""
    if not isinstance(condition, list):
        return False
    return any(_element_matches(element, value) for element in condition)


def _is_or_list(condition: Any) -> bool:
    return (
        isinstance(condition, list)
        and len(condition) >= 2
        and all(isinstance(branch, dict) for branch in condition)
    )


def _element_matches(element: Any, value: str) -> bool:
    if isinstance(element, str):
        return element == value
    if not isinstance(element, dict):
        return False  # numbers, booleans and null never equal a present string field
    if len(element) != 1:
        return False
    [(operator, argument)] = element.items()
    if operator == "exists":
        return argument is True
    if operator == "anything-but":
        return _anything_but(argument, value)
    if operator in ("numeric", "cidr"):
        return False
    return _string_filter(operator, argument, value)


def _string_filter(operator: str, argument: Any, value: str) -> bool:
    """``prefix``, ``suffix``, ``equals-ignore-case`` and ``wildcard``: the positive filters."""
    if operator in ("prefix", "suffix"):
        ignore_case = isinstance(argument, dict) and set(argument) == {"equals-ignore-case"}
        text = argument["equals-ignore-case"] if ignore_case else argument
        if not isinstance(text, str):
            return False
        subject, wanted = (value.casefold(), text.casefold()) if ignore_case else (value, text)
        return subject.startswith(wanted) if operator == "prefix" else subject.endswith(wanted)
    if operator == "equals-ignore-case":
        return isinstance(argument, str) and argument.casefold() == value.casefold()
    if operator == "wildcard":
        expression = wildcard_expression(argument) if isinstance(argument, str) else None
        return expression is not None and expression.fullmatch(value) is not None
    return False


def _anything_but(argument: Any, value: str) -> bool:
    """``anything-but``: true unless the value is one of, or matches, what follows."""
    if isinstance(argument, str):
        return argument != value
    if isinstance(argument, list):
        if _all_strings(argument):
            return value not in argument
        return bool(argument) and all(_is_number(item) for item in argument)
    if isinstance(argument, dict) and len(argument) == 1:
        [(operator, inner)] = argument.items()
        if operator == "equals-ignore-case":
            options = [inner] if isinstance(inner, str) else inner
            if not isinstance(options, list) or not _all_strings(options):
                return False
            return value.casefold() not in {option.casefold() for option in options}
        if operator in ("prefix", "suffix", "wildcard") and isinstance(inner, str):
            return not _string_filter(operator, inner, value)
    return _is_number(argument)  # a string is never the excluded number


def _is_number(item: Any) -> bool:
    return isinstance(item, int | float) and not isinstance(item, bool)


def _all_strings(items: Iterable[Any]) -> bool:
    return all(isinstance(item, str) for item in items)


@lru_cache(maxsize=256)
def wildcard_expression(text: str) -> re.Pattern[str] | None:
    """The regular expression of an EventBridge wildcard, or None if EventBridge would reject it.

    ``*`` matches any run of characters; ``\\*`` is an asterisk and ``\\\\`` a backslash; two
    consecutive wildcards, or a backslash before anything else, are invalid.
    """
    parts: list[str] = []
    index = 0
    previous_was_wildcard = False
    while index < len(text):
        char = text[index]
        if char == "\\":
            following = text[index + 1 : index + 2]
            if following not in ("*", "\\"):
                return None
            parts.append(re.escape(following))
            index += 2
            previous_was_wildcard = False
            continue
        if char == "*":
            if previous_was_wildcard:
                return None
            parts.append(".*")
            previous_was_wildcard = True
        else:
            parts.append(re.escape(char))
            previous_was_wildcard = False
        index += 1
    return re.compile("".join(parts), re.DOTALL)
