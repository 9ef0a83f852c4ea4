from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_process_starts_without_loading_the_demos_region_tables():
    # Every process (worker, web server, command) sets Django up; the demo's region tables
    # (lokal) take a second to load and only `serve_demo` needs them.
    code = "import django, sys; django.setup(); print('lokal' in sys.modules)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wadul.settings"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
