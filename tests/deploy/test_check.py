"""bin/check_rms against a real HTTP server on loopback: the exit code and the one line
Nagios/Icinga read, for a healthy, slow, wrong-release, unhealthy and down instance."""

import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from deploy.check import main

REPO = Path(__file__).resolve().parents[2]


class Health(BaseHTTPRequestHandler):
    """Answers /health/ with what the test put on its server."""

    def do_GET(self):
        server = self.server
        time.sleep(server.delay)
        body = server.body if self.path == "/health/" else b"not here"
        self.send_response(server.status if self.path == "/health/" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    httpd.delay = 0.0
    httpd.status = 200
    httpd.body = json.dumps(
        {"status": "ok", "database": "ok", "migrations_pending": 0, "release": "r42"}
    ).encode()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out.strip()


def test_a_healthy_instance_on_the_expected_release_is_ok(server, capsys):
    code, line = run(capsys, "--url", server.url, "--release", "r42", "-w", "1", "-c", "2")

    assert code == 0
    assert line.startswith("RMS OK - release r42 in ")
    assert line.endswith(";1;2;0")
    assert "| time=" in line


def test_a_slow_answer_warns_then_goes_critical(server, capsys):
    server.delay = 0.3

    warning = run(capsys, "--url", server.url, "-w", "0.2", "-c", "5")
    critical = run(capsys, "--url", server.url, "-w", "0.1", "-c", "0.2")

    assert warning[0] == 1 and warning[1].startswith("RMS WARNING - release r42, slow: 0.3")
    assert critical[0] == 2 and critical[1].startswith("RMS CRITICAL - release r42, slow:")


def test_the_wrong_release_is_critical(server, capsys):
    code, line = run(capsys, "--url", server.url, "--release", "r43")

    assert code == 2
    assert line.startswith("RMS CRITICAL - release r42, expected r43 |")


def test_an_unhealthy_instance_is_critical_and_says_why(server, capsys):
    server.status = 503
    server.body = json.dumps(
        {"status": "error", "database": "unreachable", "migrations_pending": None, "release": "r42"}
    ).encode()

    code, line = run(capsys, "--url", server.url)

    assert code == 2
    assert line.startswith("RMS CRITICAL - unhealthy (503): database unreachable")


def test_a_down_instance_is_critical(server, capsys):
    url = server.url
    server.shutdown()
    server.server_close()

    code, line = run(capsys, "--url", url)

    assert code == 2
    assert line.startswith(f"RMS CRITICAL - {url}/health/ does not answer:")
    assert "|" not in line


def test_an_answer_that_is_not_the_health_report_is_unknown(server, capsys):
    server.body = b"<html>a proxy's error page</html>"

    code, line = run(capsys, "--url", server.url)

    assert code == 3
    assert line == f"RMS UNKNOWN - {server.url}/health/ answered 200 without RMS's health report"


def test_bad_arguments_are_unknown_not_critical(capsys):
    assert main(["--url", "http://x", "-w", "5", "-c", "1"]) == 3


def test_the_built_script_exits_with_the_plugin_code(server):
    script = REPO / "bin" / "check_rms"
    if not script.exists():
        pytest.skip("bin/check_rms is made by `make build`")

    result = subprocess.run(
        [script, "--url", server.url, "--release", "r41"], capture_output=True, text=True
    )

    assert result.returncode == 2, result.stderr
    assert result.stdout.startswith("RMS CRITICAL - release r42, expected r41")
