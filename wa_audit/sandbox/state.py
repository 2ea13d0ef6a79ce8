"""What the sandbox's extensions remember, kept apart per account (and per region in an area)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from wa_audit.sandbox.faults import Faults

T = TypeVar("T")


class SandboxState:
    """One object per (account, area); reset together with moto's own state."""

    def __init__(self) -> None:
        self._areas: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self.faults = Faults()

    def area(self, account_id: str, name: str, factory: Callable[[], T]) -> T:
        with self._lock:
            key = (account_id, name)
            if key not in self._areas:
                self._areas[key] = factory()
            value: T = self._areas[key]
            return value

    def reset(self) -> None:
        with self._lock:
            self._areas.clear()
        self.clear_faults()

    def clear_faults(self) -> None:
        """No more injected faults; requests hanging on the old ones are answered now."""
        self.faults.release()
        self.faults = Faults()
