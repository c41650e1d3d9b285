"""bin/check_rms: a Nagios/Icinga plugin over an instance's /health/.

    check_rms --url https://rms.example.com --release 20261205-101500-ab12cd34ef \\
        --warning 1 --critical 3

One line of output with perfdata, and the plugin exit codes: 0 OK, 1 WARNING (slow),
2 CRITICAL (down, unhealthy, the wrong release, very slow), 3 UNKNOWN (the answer is not
RMS's /health/, or the arguments are wrong). The console's instances page shows the same
checks to people.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
STATES = {OK: "OK", WARNING: "WARNING", CRITICAL: "CRITICAL", UNKNOWN: "UNKNOWN"}


@dataclass(frozen=True)
class Result:
    code: int
    message: str
    seconds: float | None = None

    def line(self, warning: float, critical: float) -> str:
        text = f"RMS {STATES[self.code]} - {self.message}"
        if self.seconds is None:
            return text
        return f"{text} | time={self.seconds:.3f}s;{warning:g};{critical:g};0"


def fetch(url: str, timeout: float) -> tuple[int, bytes, float]:
    """(status, body, seconds) of one GET; a 503 is an answer, not an error."""
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started


def check(
    url: str, *, release: str = "", warning: float, critical: float, timeout: float
) -> Result:
    health_url = url.rstrip("/") + "/health/"
    if not health_url.startswith(("http://", "https://")):
        return Result(UNKNOWN, f"--url {url} is not an http(s) URL")
    try:
        status, body, seconds = fetch(health_url, timeout)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        return Result(CRITICAL, f"{health_url} does not answer: {reason}")
    try:
        report = json.loads(body)
        state = report["status"]
    except (ValueError, KeyError, TypeError):
        return Result(UNKNOWN, f"{health_url} answered {status} without RMS's health report")
    if state != "ok":
        failing = [
            f"{key} {value}"
            for key, value in report.items()
            if key in ("database", "broker", "cache") and value == "unreachable"
        ]
        if report.get("migrations_pending"):
            failing.append(f"{report['migrations_pending']} migrations pending")
        detail = ", ".join(failing) or f"status {state}"
        return Result(CRITICAL, f"unhealthy ({status}): {detail}", seconds)
    running = report.get("release", "")
    if release and running != release:
        return Result(CRITICAL, f"release {running}, expected {release}", seconds)
    if seconds >= critical:
        return Result(CRITICAL, f"release {running}, slow: {seconds:.3f} s", seconds)
    if seconds >= warning:
        return Result(WARNING, f"release {running}, slow: {seconds:.3f} s", seconds)
    return Result(OK, f"release {running} in {seconds:.3f} s", seconds)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="check_rms", description=__doc__.split("\n")[0])
    parser.add_argument("--url", "-u", required=True, help="the instance's base URL")
    parser.add_argument("--release", "-r", default="", help="the release it must run")
    parser.add_argument("--warning", "-w", type=float, default=1.0, help="seconds (warning)")
    parser.add_argument("--critical", "-c", type=float, default=5.0, help="seconds (critical)")
    parser.add_argument("--timeout", "-t", type=float, default=10.0, help="seconds to wait")
    args = parser.parse_args(argv)
    if not 0 < args.warning <= args.critical:
        parser.error("--warning must be above 0 and at most --critical")
    return args


def main(argv: list[str] | None = None) -> int:
    try:
        args = arguments(argv)
    except SystemExit as exit_:
        # argparse exits 2, which Nagios reads as CRITICAL: a bad command is UNKNOWN.
        return UNKNOWN if exit_.code else OK
    timeout = max(args.timeout, args.critical)
    result = check(
        args.url,
        release=args.release,
        warning=args.warning,
        critical=args.critical,
        timeout=timeout,
    )
    print(result.line(args.warning, args.critical))
    return result.code


if __name__ == "__main__":
    sys.exit(main())
