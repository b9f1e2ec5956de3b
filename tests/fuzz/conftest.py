"""The fuzz suite prints what it tried: requests, URLs, forms mutated, and 5xx answers."""

from .walker import EXAMPLES, TOTALS


def pytest_terminal_summary(terminalreporter):
    if not TOTALS.requests:
        return
    terminalreporter.write_line(
        f"fuzz (FUZZ_EXAMPLES={EXAMPLES}): {TOTALS.requests} requests on {len(TOTALS.urls)} "
        f"distinct method+URL paths, {TOTALS.forms} forms mutated, "
        f"{TOTALS.server_errors} answers 5xx"
    )
