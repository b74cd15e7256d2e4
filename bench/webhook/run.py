"""Webhook ingestion benchmark: signed ~1 KB text messages from many customers, POSTed by
wrk (32 keep-alive connections) to the webhook under gunicorn with PostgreSQL and Redis,
against a bare WSGI app served the same way in the same run (the floor), and against the
straightforward Django view the issue describes (bench/naive.py: get_or_create + .delay()),
also in the same run, so the figure can be read on any machine.

    .venv/bin/python bench/webhook/run.py [--seconds 20] [--workers N --threads T] [--compare-ops]

The webhook runs as in production: metrics in PROMETHEUS_MULTIPROC_DIR and JSON log lines at
INFO. --compare-ops measures it a second time in the same run with neither (counters in process
memory only, logs at WARNING), to read what they cost against the same floor.

Starts its own PostgreSQL and Redis (scripts/services.py), all on 127.0.0.1, and stops them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import (
    CORES,
    ROOT,
    cpu_by_group,
    customers,
    gunicorn,
    manage,
    project_env,
    text_message_body,
    write_bodies,
    wrk,
)
from services import services  # scripts/services.py: common puts scripts/ on the path


def count_stored(env) -> int:
    out = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from conversations.models import InboundMessage as M; print(M.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=CORES + 1)
    parser.add_argument("--threads", type=int, default=1, help="1 = sync workers (best p99 here); >1 = gthread")
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--bodies", type=int, default=60000)
    parser.add_argument("--compare-ops", action="store_true", help="also measure without metrics files and JSON logs")
    return parser.parse_args()


def balance_questions(wa_ids: list[str], *, count: int, started: int) -> list[bytes]:
    """The measured load: customers in turn ask for their balance, each body a new message id."""
    return [
        text_message_body(
            wa_id=wa_ids[i % len(wa_ids)],
            text="Hola, quiero saber el saldo de mi crédito",
            timestamp=started + i // len(wa_ids),
            pad_to=1024,
        )
        for i in range(count)
    ]


def write_inputs(work: Path, args: argparse.Namespace, wa_ids: list[str], started: int) -> list[bytes]:
    """wrk's bodies files (measured, the straightforward view's, warm-up); returns the measured bodies."""
    bodies = balance_questions(wa_ids, count=args.bodies, started=started)
    write_bodies(work / "bodies.txt", bodies)
    # The straightforward view gets its own message ids: the webhook's must all be new to it.
    write_bodies(work / "naive.txt", balance_questions(wa_ids, count=args.bodies, started=started))
    if args.compare_ops:  # new message ids again: a replay costs less than a new message
        write_bodies(work / "bodies-no-ops.txt", balance_questions(wa_ids, count=args.bodies, started=started))
    write_bodies(
        work / "warmup.txt",
        [text_message_body(wa_id=w, text="hola", pad_to=1024) for w in customers(2000, prefix="5732")],
    )
    return bodies


def warm_up(url: str, *, work: Path, args: argparse.Namespace) -> None:
    wrk(url, bodies_file=work / "warmup.txt", connections=args.connections, seconds=3)


def measure_reference(name: str, *, bodies_file: Path, env, work: Path, args: argparse.Namespace) -> dict:
    """One of the apps the webhook is read against (bench/floor.py, bench/naive.py), under the same gunicorn."""
    port, server = gunicorn(
        f"{name}:application",
        env=env,
        log=work / f"{name}.log",
        workers=args.workers,
        threads=args.threads,
        pythonpath=str(ROOT / "bench"),
    )
    with server:
        url = f"http://127.0.0.1:{port}/webhooks/whatsapp/"
        warm_up(url, work=work, args=args)
        return wrk(url, bodies_file=bodies_file, connections=args.connections, seconds=args.seconds)


def measure_webhook(
    *, env, service_env, work: Path, args: argparse.Namespace, bodies: str = "bodies.txt", log: str = "webhook.log"
) -> tuple[dict, dict, int]:
    """The webhook under load: wrk's result, CPU ms per request by process tree, messages stored."""
    port, server = gunicorn(
        "proalto.wsgi:application", env=env, log=work / log, workers=args.workers, threads=args.threads
    )
    with server as web:
        url = f"http://127.0.0.1:{port}/webhooks/whatsapp/"
        warm_up(url, work=work, args=args)
        warm = count_stored(env)
        # Where the cores go: CPU of each process tree over the measured run.
        groups = {
            "web (gunicorn)": [web.pid],
            "postgresql": [f"-p {service_env['DATABASE_URL'].rsplit(':', 1)[1].split('/')[0]} -c listen_addresses"],
            "redis": [service_env["REDIS_URL"].rsplit("/", 1)[0].split("//")[1]],
        }
        cpu_before, children_before = cpu_by_group(groups), _children_cpu()
        result = wrk(url, bodies_file=work / bodies, connections=args.connections, seconds=args.seconds)
        cpu = {k: v - cpu_before[k] for k, v in cpu_by_group(groups).items()}
        cpu["wrk"] = _children_cpu() - children_before  # wrk has exited: it counts among our reaped children
        stored = count_stored(env) - warm
    per_request = {k: v * 1000 / max(1, result["requests"]) for k, v in cpu.items()}
    return result, per_request, stored


def report(args, results: dict, *, started: int, stored: int, distinct: int, errors_log: str) -> bool:
    """Print the comparison against the target and save the figures to bench/results/; True if met."""
    floor, naive, hook = results["floor"], results["naive"], results["webhook"]
    unique = min(hook["requests"], distinct)
    print()
    print(f"{'':12} {'msg/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'errors':>7}")
    for name, r in (("floor", floor), ("naive view", naive), ("webhook", hook)):
        errors = r["connect_errors"] + r["read_errors"] + r["timeouts"]
        print(f"{name:12} {r['rps']:9.0f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} {r['non_2xx']:8d} {errors:7d}")
    ratio = hook["rps"] / floor["rps"]
    per_request = results["cpu_ms_per_request"]
    print(
        "\nCPU per webhook request: "
        + ", ".join(f"{k} {v:.2f} ms" for k, v in per_request.items())
        + f"; total {sum(per_request.values()):.2f} ms"
    )
    print(
        f"\nwebhook / floor = {ratio:.1%} (target >= 20% with p99 < 100 ms); "
        f"the straightforward view / floor = {naive['rps'] / floor['rps']:.1%}, so the webhook does "
        f"{hook['rps'] / naive['rps']:.1f}x its throughput (the issue puts it at ~10% and asks for twice that)"
    )
    print(
        f"stored {stored} new messages for {hook['requests']} requests "
        f"({unique} distinct bodies; repeats are replays, stored once)"
    )
    if "webhook_without_ops" in results:
        bare = results["webhook_without_ops"]
        bare_cpu = sum(results["cpu_ms_per_request_without_ops"].values())
        print(
            f"without metrics files and JSON logs: {bare['rps']:.0f} msg/s = {bare['rps'] / floor['rps']:.1%} of the "
            f"floor, p99 {bare['p99_ms']:.1f} ms, {bare_cpu:.2f} ms CPU per request; with them "
            f"{hook['rps']:.0f} msg/s = {ratio:.1%}: they cost {1 - hook['rps'] / bare['rps']:.1%} of the throughput"
        )
    ok = ratio >= 0.20 and hook["p99_ms"] < 100 and hook["non_2xx"] == 0 and stored >= unique
    print("TARGET MET" if ok else "TARGET NOT MET")
    if hook["non_2xx"]:
        print(errors_log)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"webhook-{started}.json").write_text(
        json.dumps({"args": vars(args), "cores": CORES, **results, "ratio": ratio, "stored": stored}, indent=2)
    )
    return ok


def main() -> int:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-webhook-"))
    wa_ids = customers(args.customers)
    started = int(time.time())
    bodies = write_inputs(work, args, wa_ids, started)
    web = "sync workers" if args.threads == 1 else f"gthread workers x {args.threads} threads"
    print(
        f"{len(bodies)} signed bodies of ~{len(bodies[0])} bytes from {len(wa_ids)} customers; "
        f"gunicorn {args.workers} {web}; "
        f"wrk {args.connections} connections, {args.seconds} s; {CORES} cores"
    )

    results = {}
    with services(s3_server=False) as service_env:
        env = project_env(service_env)
        # The webhook as in production: every process's counters in files, JSON lines at INFO.
        ops_env = project_env(
            service_env, LOG_LEVEL="INFO", LOG_FORMAT="json", PROMETHEUS_MULTIPROC_DIR=str(work / "metrics")
        )
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        manage(env, "migrate", "--noinput")
        results["floor"] = measure_reference("floor", bodies_file=work / "bodies.txt", env=env, work=work, args=args)
        results["naive"] = measure_reference("naive", bodies_file=work / "naive.txt", env=env, work=work, args=args)
        if args.compare_ops:  # first: the run after it finds the tables fuller, which counts against it
            results["webhook_without_ops"], results["cpu_ms_per_request_without_ops"], _ = measure_webhook(
                env=env, service_env=service_env, work=work, args=args, bodies="bodies-no-ops.txt", log="no-ops.log"
            )
        results["webhook"], results["cpu_ms_per_request"], stored = measure_webhook(
            env=ops_env, service_env=service_env, work=work, args=args
        )
        errors_log = (work / "webhook.log").read_text(errors="replace")[-2000:]

    ok = report(args, results, started=started, stored=stored, distinct=len(bodies), errors_log=errors_log)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
