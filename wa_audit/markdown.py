"""Markdown building blocks shared by the markdown format and ``wa-audit diff``.

Cells come from the account (resource names, tag-derived messages), so they are escaped for
GitHub-flavoured markdown, where they land (CI step summaries, PR comments, chat): a bucket
named ``[click here](https://evil)`` or ``![x](https://tracker)`` stays text, not a link or an
image that loads; ``*``, ``_`` and ``~`` do not turn the rest of the row bold or struck; ``<``
and ``&`` start no HTML or entity; ``$`` no math; a ``|`` or a line break does not split the
table. Every markdown ASCII punctuation escape used here is CommonMark's backslash escape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from wa_audit.escaping import terminal_text

_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&$])")
_BACKTICKS = re.compile(r"`+")


def cell(text: object) -> str:
    """Account text as inert inline markdown: shows as written, in a table cell or in prose."""
    return _INLINE_SPECIAL.sub(r"\\\1", terminal_text(text))


def code(text: object) -> str:
    """Account text as a code span: nothing inside is markup, so only the fence must hold.

    The fence is one backtick longer than the longest run inside; ``|`` is escaped because GFM
    splits table rows before it sees code spans.
    """
    inner = terminal_text(text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(inner)), default=0) + 1)
    pad = " " if inner.startswith("`") or inner.endswith("`") else ""
    return f"{fence}{pad}{inner}{pad}{fence}"


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """A pipe table; ``rows`` hold cells already passed through :func:`cell` or :func:`code`."""
    lines = [
        "| " + " | ".join(cell(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines
