"""One-line reasons for what AWS answered: the HTTP status, the AWS error code, the first line.

Every place that turns an AWS error into words (a failed fact, the caller's identity, a quota
request, an assumed role, a Well-Architected Tool call) goes through here, so none of them prints
a whole HTML page from a proxy, an empty ``: :``, or a code AWS never sent (``Unknown``).
"""

from __future__ import annotations

import re

from botocore.exceptions import ClientError

MAX_REASON = 160
"""Characters of an AWS message kept in a reason: one line in every output format."""
NO_CODE = "(no AWS error code)"


def one_line(text: str, limit: int = MAX_REASON) -> str:
    """The first non-empty line of ``text`` without markup, short enough for a table cell."""
    lines = (" ".join(line.split()) for line in re.sub(r"<[^>]*>", " ", text).splitlines())
    first = next((line for line in lines if line), "")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def error_code(error: ClientError) -> str:
    """The AWS error code, or ``""`` when the answer had none (an HTML page, a bare status)."""
    code = str(error.response.get("Error", {}).get("Code") or "")
    status = http_status(error)
    # botocore uses the status as the code when the body names none (an HTML 502 from a proxy).
    return "" if code == str(status) else code


def http_status(error: ClientError) -> int | None:
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return status if isinstance(status, int) else None


def error_answer(error: ClientError, *, status: bool = True) -> str:
    """``HTTP 400 ValidationException: …``, or without ``status`` just ``ValidationException: …``.

    An answer without an AWS error code always shows its status (``HTTP 502 (no AWS error
    code): Bad Gateway``): the status is then all there is to tell a proxy's page from AWS.
    """
    code = error_code(error)
    http = http_status(error)
    if not code:
        head = f"HTTP {http} {NO_CODE}" if http else NO_CODE
    else:
        head = f"HTTP {http} {code}" if status and http else code
    message = one_line(str(error.response.get("Error", {}).get("Message") or ""))
    return f"{head}: {message}" if message else head
