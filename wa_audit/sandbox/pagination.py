"""Token pagination for extension list operations: opaque tokens, pages of at most N items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from werkzeug.wrappers import Response

from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response

T = TypeVar("T")
_PREFIX = "page-"


class InvalidToken(ValueError):
    """A token this sandbox did not hand out; each service names the error its own way."""


def start_of(token: str | None, size: int) -> int:
    """Where the page that ``token`` names starts in a list of ``size`` items (0 for None)."""
    if not token:
        return 0
    try:
        start = int(token.removeprefix(_PREFIX))
    except ValueError as error:
        raise InvalidToken(token) from error
    if not 0 <= start <= size:
        raise InvalidToken(token)
    return start


def token_for(start: int, size: int) -> str | None:
    """The token of the page starting at ``start``, or None when nothing is left."""
    return f"{_PREFIX}{start}" if start < size else None


def page(items: Sequence[T], token: str | None, max_results: int) -> tuple[list[T], str | None]:
    """The page that ``token`` starts (the first when None) and the token of the next, if any."""
    start = start_of(token, len(items))
    end = start + max(1, max_results)
    return list(items[start:end]), token_for(end, len(items))


def json_page(
    request: AwsRequest,
    key: str,
    items: Sequence[Any],
    *,
    bad_page_error: str,
    default_max_results: int,
) -> Response:
    """The JSON answer of a list operation paged by ``MaxResults``/``NextToken``; a token this
    sandbox did not hand out gets the service's own error code."""
    body = request.json()
    try:
        found, token = page(
            items, body.get("NextToken"), int(body.get("MaxResults") or default_max_results)
        )
    except InvalidToken:
        return error_response(request, bad_page_error, "Invalid NextToken")
    answer: dict[str, Any] = {key: found}
    if token:
        answer["NextToken"] = token
    return json_response(answer)
