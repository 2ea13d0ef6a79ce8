"""Parse each botocore data file once per process, however many sessions ask for it.

In the demo one process holds the seeding clients, moto's server, the sandbox's protocol code and
the audit's session, each with its own botocore loader; moto also makes a fresh boto3 session for
every region lookup. Each loader parses the files it needs again: the EC2 model (several MB of JSON)
was parsed eight times per demo run, a quarter of its CPU time. Sharing the parsed data is safe
because botocore treats it as read-only once loaded (one loader already hands the same objects to
all its clients).
"""

from __future__ import annotations

import threading
from typing import Any

from botocore.loaders import Loader

_lock = threading.Lock()
_parsed: dict[tuple[str, tuple[str, ...]], Any] = {}
_original = Loader.load_data_with_path


def _load_data_with_path(self: Loader, name: str) -> Any:
    key = (name, tuple(self.search_paths))
    with _lock:
        if key in _parsed:
            return _parsed[key]
    loaded = _original(self, name)
    with _lock:
        return _parsed.setdefault(key, loaded)


def share_parsed_models() -> None:
    """Idempotent; affects this process only (the demo's), never a user's own boto3 elsewhere."""
    Loader.load_data_with_path = _load_data_with_path  # type: ignore[method-assign]
