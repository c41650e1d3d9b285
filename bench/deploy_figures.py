"""Deploy figures: how long deploys and a rollback take, and what a deploy does to traffic.

Runs the real thing, as tests/deploy does: `bin/fab` over an sshd on loopback, uWSGI,
this machine's PostgreSQL, a bare origin made from the working tree. Prints a table.

    bin/python bench/deploy_figures.py [--clients 8] [--baseline-seconds 20]

The machine is shared and noisy: compare the figures of one run with each other (the
latency ratio), not with another run's.
"""

import argparse
import tempfile
import time
from pathlib import Path

from tests.deploy.load import Load, percentile
from tests.deploy.sandbox import missing_tools, sandbox_running


def timed_fab(sandbox, *args: str) -> float:
    started = time.monotonic()
    result = sandbox.fab(*args)
    if result.returncode:
        raise SystemExit(f"fab {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return time.monotonic() - started


def milliseconds(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction) * 1000:.1f} ms"


def figures(sandbox, *, clients: int, baseline_seconds: float) -> list[tuple[str, str]]:
    staging = sandbox.instance("staging")
    sandbox.write_instances({"staging": staging})
    sandbox.origin.branch_with_migration(
        "with-migration", "main", "0900_bench_probe", "CREATE TABLE bench_probe (id int)"
    )
    url = f"http://127.0.0.1:{staging['hosts'][0]['port']}/health/"
    first = timed_fab(sandbox, "deploy", "staging")
    no_change = timed_fab(sandbox, "deploy", "staging")
    with Load(url, clients=clients) as before:
        time.sleep(baseline_seconds)
    with Load(url, clients=clients) as during:
        with_migration = timed_fab(sandbox, "deploy", "staging", "--ref", "with-migration")
    rollback = timed_fab(sandbox, "rollback", "staging")
    p50_ratio = percentile(during.latencies, 0.5) / percentile(before.latencies, 0.5)
    p99_ratio = percentile(during.latencies, 0.99) / percentile(before.latencies, 0.99)
    return [
        ("deploy, first (empty server tree and host cache)", f"{first:.1f} s"),
        ("deploy, no change", f"{no_change:.1f} s"),
        ("deploy, with a migration (under load)", f"{with_migration:.1f} s"),
        ("rollback", f"{rollback:.1f} s"),
        (f"requests during that deploy ({clients} clients)", f"{during.requests}"),
        ("requests failed during that deploy", f"{len(during.failures)}"),
        (
            "p50 latency before / during",
            f"{milliseconds(before.latencies, 0.5)} / "
            f"{milliseconds(during.latencies, 0.5)} (x{p50_ratio:.2f})",
        ),
        (
            "p99 latency before / during",
            f"{milliseconds(before.latencies, 0.99)} / "
            f"{milliseconds(during.latencies, 0.99)} (x{p99_ratio:.2f})",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--baseline-seconds", type=float, default=20)
    args = parser.parse_args()
    missing = missing_tools()
    if missing:
        raise SystemExit(f"deploy_figures needs {', '.join(missing)}")
    with (
        tempfile.TemporaryDirectory(prefix="rms-deploy-bench-") as root,
        sandbox_running(Path(root)) as sandbox,
    ):
        rows = figures(sandbox, clients=args.clients, baseline_seconds=args.baseline_seconds)
    width = max(len(name) for name, _ in rows)
    print(f"| {'figure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


if __name__ == "__main__":
    main()
