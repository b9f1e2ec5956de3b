"""Fixtures shared by the whole suite."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "data" / "samples"


def run_manage(
    *args: str,
    env: dict | None = None,
    settings: str = "sunshine.settings.test",
    check: bool = False,
) -> subprocess.CompletedProcess:
    """Run manage.py in a child process with a controlled environment."""
    child_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "IDENTIFIER_HMAC_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    child_env["DJANGO_SETTINGS_MODULE"] = settings
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        cwd=REPO,
        env=child_env,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


@pytest.fixture
def demo(db):
    """The demo content of `make run`."""
    from sunshine import demo as demo_module

    demo_module.load_all()
    return demo_module
