"""LOG_FORMAT: plain text or one JSON object per line, each record with its request id."""

from __future__ import annotations

import json
import os
import subprocess
import sys

CODE = (
    "import django, logging; django.setup(); from wadul.core import logs\n"
    "with logs.bound('req-12345678'): logging.getLogger('wadul.test').info('hello %s', 'there')"
)


def run(log_format: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wadul.settings", "LOG_FORMAT": log_format}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", CODE], env=env, capture_output=True, text=True
    )


def test_json_logs_are_one_object_per_line_with_the_request_id():
    result = run("json")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "hello there"
    assert line["level"] == "INFO"
    assert line["logger"] == "wadul.test"
    assert line["request_id"] == "req-12345678"
    assert "time" in line


def test_plain_logs_carry_the_request_id_too():
    result = run("plain")
    assert result.returncode == 0, result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith("INFO wadul.test [req-12345678] hello there")
    )


def test_an_unknown_log_format_stops_the_start():
    result = run("xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr
