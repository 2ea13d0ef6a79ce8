"""Markdown building blocks shared by the markdown format and ``wa-audit diff``.

Cells come from AWS (resource names, tag-derived messages), so they are escaped: a ``|`` or a
newline in a bucket policy message must not break a CI step summary's table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_SPECIAL = str.maketrans({"|": "\\|", "\n": " ", "\r": " ", "`": "'", "<": "&lt;", ">": "&gt;"})


def cell(text: object) -> str:
    return str(text).translate(_SPECIAL)


def code(text: object) -> str:
    return f"`{cell(text)}`"


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = [
        "| " + " | ".join(cell(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines
