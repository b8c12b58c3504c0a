"""Say at the end of the run when the browser tests were skipped, and how to run them."""

from __future__ import annotations

from typing import Any

from .support import BROWSER_SKIPPED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    skipped = [
        report for report in terminalreporter.stats.get("skipped", []) if BROWSER_SKIPPED in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} browser tests skipped: {BROWSER_SKIPPED}", yellow=True, bold=True)
