"""The package's own rules: pure Python, one public surface."""

import subprocess
import sys
from pathlib import Path

import disclosure.importing

REPO = Path(__file__).resolve().parents[3]


def test_importing_the_package_loads_no_django():
    code = (
        "import sys, disclosure.importing\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'wagtail'})\n"
        "print(loaded)\n"
        "raise SystemExit(1 if loaded else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_public_api_is_re_exported():
    for name in disclosure.importing.__all__:
        assert hasattr(disclosure.importing, name), name
    doc = disclosure.importing.__doc__
    assert "pure" in doc.lower() and "no ORM" in doc
