"""Account text (names, tags, descriptions, AWS messages) made inert for each place it is shown.

One function per output kind, used everywhere that kind is written: :func:`terminal_text` for
the terminal (:func:`terminal_block` for a whole document printed there), :func:`csv_cell` for
CSV. Markdown has its own module (:mod:`wa_audit.markdown`); HTML is escaped by jinja2's
autoescape; JSON, XML and SARIF by their serialisers.
"""

from __future__ import annotations

import re

_ESCAPE_SEQUENCE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]     # CSI: colours, cursor moves, screen clearing
    | (?:\x1b\]|\x9d) .*? (?:\x07|\x1b\\|\x9c|$)  # OSC: title, hyperlinks, clipboard writes
    | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]) .*? (?:\x1b\\|\x9c|$)  # DCS, SOS, PM, APC strings
    | \x1b [ -/]* [0-~]?                    # any other escape, or a lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and newline, DEL, C1 (\x9b is an 8-bit CSI)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # bidi overrides: text shown reordered
)
_LINE_BREAK = re.compile(r"\r\n|[\n\r\t\v\f\u0085\u2028\u2029]")


def terminal_text(value: object) -> str:
    """One line of account text that cannot act on the terminal showing it.

    Escape sequences (ANSI colours and cursor moves, OSC titles, hyperlinks and clipboard writes)
    and control characters are removed; line breaks and tabs become spaces, so a resource name
    cannot start a line of its own that looks like wa-audit's verdict.
    """
    text = _ESCAPE_SEQUENCE.sub("", str(value))
    return _CONTROL.sub("", _LINE_BREAK.sub(" ", text))


def terminal_block(text: str) -> str:
    """A whole document (CSV, Markdown) printed to a terminal: every line kept, none able to act.

    As :func:`terminal_text`, line by line (an unterminated escape string cannot swallow the
    lines after it), but newlines and tabs stay, as the document's layout; a carriage return
    goes (CSV's ``\r\n`` reads the same without it, and alone it would overwrite the line).
    """
    return "\n".join(_CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", line)) for line in text.split("\n"))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (OWASP CSV injection).

    A cell that starts with ``= + - @``, tab or carriage return gets a leading ``'``, so a
    spreadsheet takes it as text (https://owasp.org/www-community/attacks/CSV_Injection).
    Every other cell is written exactly as it is.
    """
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
