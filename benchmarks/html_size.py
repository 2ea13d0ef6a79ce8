"""How large and how slow the HTML scorecard gets with many findings.

    python benchmarks/html_size.py [--findings 10000 --findings 100000]

Builds the test suite's sample Report with N generated findings (a realistic ARN, message and
evidence each), renders it, and prints the file size and render time. tests/reports asserts that
10,000 findings stay under 5 MB.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import ModuleType

from wa_audit.reports.html_format import FORMAT

ROOT = Path(__file__).resolve().parent.parent


def report_factory() -> ModuleType:
    """The test suite's sample Report, importable when this runs as a script from anywhere."""
    sys.path.insert(0, str(ROOT))
    from tests.reports import report_factory as factory

    return factory


def measure(count: int) -> tuple[int, float]:
    factory = report_factory()
    report = factory.sample_report(findings=tuple(factory.many_findings(count)))
    started = time.perf_counter()
    html = FORMAT.render(report)
    return len(html.encode("utf-8")), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, action="append")
    counts = parser.parse_args().findings or [1_000, 10_000, 100_000]
    print(f"{'findings':>9} {'size':>9} {'per finding':>12} {'render':>8}")
    for count in counts:
        size, seconds = measure(count)
        print(f"{count:>9,} {size / 1e6:>7.2f}MB {size / count:>10.0f} B {seconds:>7.2f}s")


if __name__ == "__main__":
    main()
