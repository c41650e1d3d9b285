"""Deploy figures: how long deploys and a rollback take, and what deploys, faulty ones
included, and steady load do to traffic.

Runs the real thing, as tests/deploy does: `bin/fab` over an sshd on loopback, uWSGI,
this machine's PostgreSQL, a bare origin made from the working tree. Prints a table.

    bin/python bench/deploy_figures.py [--clients 8] [--baseline-seconds 20] \
        [--soak-seconds 180]

The clients read the login page, which every release here serves: the faulty releases'
own /health/ answers 503 on purpose, and that is not what is measured. The machine is
shared and noisy: compare the figures of one run with each other (the latency ratio),
not with another run's.
"""

import argparse
import tempfile
import time
from pathlib import Path

from tests.deploy.load import Load, percentile
from tests.deploy.sandbox import missing_tools, sandbox_running

BROKEN_HEALTH = (
    "\n\ndef health(request):\n"
    "    return JsonResponse({'status': 'error', 'release': 'broken'}, status=503)\n"
)


def fab_timed(sandbox, *args: str, expect_ok: bool = True) -> float:
    started = time.monotonic()
    result = sandbox.fab(*args)
    if bool(result.returncode) == expect_ok:
        raise SystemExit(
            f"fab {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        )
    return time.monotonic() - started


def milliseconds(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction) * 1000:.1f} ms"


def traffic_row(name: str, load: Load) -> tuple[str, str]:
    refused = sum("refused" in failure.lower() for failure in load.failures)
    return (
        name,
        f"{len(load.failures)} failed ({refused} refused) of {load.requests},"
        f" p99 {milliseconds(load.latencies, 0.99)}",
    )


def branches(sandbox) -> None:
    origin = sandbox.origin
    origin.branch_with_migration(
        "with-migration", "main", "0900_bench_probe", "CREATE TABLE bench_probe (id int)"
    )
    origin.branch(
        "cannot-import", "main", {}, append={"rms/urls.py": "\nimport rms_no_such_module\n"}
    )
    origin.branch_with_migration(
        "migration-then-broken",
        "with-migration",
        "0901_bench_probe_two",
        "CREATE TABLE bench_probe_two (id int)",
        append={"rms/health.py": BROKEN_HEALTH},
        reverse_sql="DROP TABLE bench_probe_two",
    )


def figures(sandbox, *, clients: int, baseline_seconds: float, soak_seconds: float) -> list:
    staging = sandbox.instance("staging")
    sandbox.write_instances({"staging": staging})
    branches(sandbox)
    url = f"http://127.0.0.1:{staging['hosts'][0]['port']}/accounts/login/"
    first = fab_timed(sandbox, "deploy", "staging")
    no_change = fab_timed(sandbox, "deploy", "staging")
    with Load(url, clients=clients) as before:
        time.sleep(baseline_seconds)
    with Load(url, clients=clients) as during:
        with_migration = fab_timed(sandbox, "deploy", "staging", "--ref", "with-migration")
    with Load(url, clients=clients) as cannot_import:
        fab_timed(sandbox, "deploy", "staging", "--ref", "cannot-import", expect_ok=False)
    with Load(url, clients=clients) as revert:
        reverted = fab_timed(
            sandbox, "deploy", "staging", "--ref", "migration-then-broken", expect_ok=False
        )
    rollback = fab_timed(sandbox, "rollback", "staging")
    with Load(url, clients=clients) as steady:
        time.sleep(soak_seconds)
    log = Path(staging["base"], "shared", "log", "uwsgi.log").read_text()
    p50_ratio = percentile(during.latencies, 0.5) / percentile(before.latencies, 0.5)
    p99_ratio = percentile(during.latencies, 0.99) / percentile(before.latencies, 0.99)
    return [
        ("deploy, first (empty server tree and host cache)", f"{first:.1f} s"),
        ("deploy, no change", f"{no_change:.1f} s"),
        ("deploy, with a migration (under load)", f"{with_migration:.1f} s"),
        ("deploy that fails and reverts a migration (under load)", f"{reverted:.1f} s"),
        ("rollback", f"{rollback:.1f} s"),
        traffic_row(f"{clients} clients, {baseline_seconds:.0f} s without a deploy", before),
        traffic_row(f"{clients} clients, during a normal deploy (with a migration)", during),
        traffic_row(
            f"{clients} clients, during a deploy of a release that cannot import", cannot_import
        ),
        traffic_row(f"{clients} clients, during a revert after a migration", revert),
        traffic_row(f"{clients} clients, {soak_seconds:.0f} s of steady load, no deploy", steady),
        (
            "worker recycles (max-requests) during the whole run",
            str(log.count("Respawned uWSGI worker")),
        ),
        (
            "p50 latency before / during the normal deploy",
            f"{milliseconds(before.latencies, 0.5)} / "
            f"{milliseconds(during.latencies, 0.5)} (x{p50_ratio:.2f})",
        ),
        (
            "p99 latency before / during the normal deploy",
            f"{milliseconds(before.latencies, 0.99)} / "
            f"{milliseconds(during.latencies, 0.99)} (x{p99_ratio:.2f})",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--baseline-seconds", type=float, default=20)
    parser.add_argument("--soak-seconds", type=float, default=180)
    args = parser.parse_args()
    missing = missing_tools()
    if missing:
        raise SystemExit(f"deploy_figures needs {', '.join(missing)}")
    with (
        tempfile.TemporaryDirectory(prefix="rms-deploy-bench-") as root,
        sandbox_running(Path(root)) as sandbox,
    ):
        rows = figures(
            sandbox,
            clients=args.clients,
            baseline_seconds=args.baseline_seconds,
            soak_seconds=args.soak_seconds,
        )
    width = max(len(name) for name, _ in rows)
    print(f"| {'figure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


if __name__ == "__main__":
    main()
