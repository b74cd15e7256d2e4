"""Internal API benchmark: ManyChat-style lookups (POST /api/v1/lookup/, "saldo" of validated
customers: key, rate, identity rule, credits, the bot's copy rendered, audit row) by wrk at
32 keep-alive connections, under gunicorn with PostgreSQL and Redis, against the webhook
(signed ~1 KB texts) served the same way in the same run, so the ratio reads on any machine.

    .venv/bin/python bench/api/run.py [--seconds 20] [--customers 2000] [--workers N --threads T]

Starts its own PostgreSQL and Redis (scripts/services.py), all on 127.0.0.1, and stops them.
Target (issue 13): lookups p99 < 100 ms at 32 connections.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
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


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=CORES + 1)
    parser.add_argument("--threads", type=int, default=1, help="1 = sync workers; >1 = gthread")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument(
        "--source",
        choices=["local", "core"],
        default="local",
        help="PORTFOLIO_SOURCE: the bot's copy, or ProAlto's core read live (a second database)",
    )
    return parser.parse_args()


def portfolio(count: int) -> tuple[list[str], list[dict]]:
    """Export lines of `count` synthetic customers with one or two credits each, and the
    lookup bodies that validate as each of them."""
    rng = random.Random(13)
    lines, lookups = [], []
    for i, phone in enumerate(customers(count, prefix="5730")):
        cedula = str(70_000_000 + i)
        issued = date(1975, 1, 1) + timedelta(days=rng.randrange(12000))
        credits = [
            {
                "number": f"LIB-B{i:06d}-{n}",
                "pagaduria": rng.choice(["Colpensiones", "FOPEP", "CASUR", "Fiduprevisora (FOMAG)"]),
                "disbursed_amount": "20000000",
                "balance": str(rng.randrange(1, 20) * 500_000),
                "installments_total": 72,
                "installments_paid": rng.randrange(1, 60),
                "installment_amount": "410000",
                "next_deduction_date": "2026-12-01",
                "status": "active",
            }
            for n in range(1 + i % 2)
        ]
        lines.append(
            json.dumps(
                {
                    "cedula": cedula,
                    "full_name": f"Cliente {i} de Prueba",
                    "phone": phone,
                    "cedula_issue_date": issued.isoformat(),
                    "credits": credits,
                    "applications": [],
                }
            )
        )
        lookups.append(
            {"cedula": cedula, "fecha_expedicion": issued.isoformat(), "whatsapp": phone, "consulta": "saldo"}
        )
    return lines, lookups


def core_load(admin_url: str, lines: list[str]) -> None:
    """The portfolio written into the core's proalto_bot relations (as ProAlto's system would)."""
    import psycopg

    customers_rows, credit_rows = [], []
    for line in map(json.loads, lines):
        customers_rows.append(
            (line["cedula"], line["full_name"], line["phone"], line.get("birth_date"), line["cedula_issue_date"])
        )
        credit_rows += [
            (
                line["cedula"],
                c["number"],
                c["pagaduria"],
                c["disbursed_amount"],
                c["balance"],
                c["installments_total"],
                c["installments_paid"],
                c["installment_amount"],
                c["next_deduction_date"],
                c["status"],
            )
            for c in line["credits"]
        ]
    with psycopg.connect(admin_url) as conn, conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO proalto_bot.customers (cedula, full_name, phone, birth_date, cedula_issue_date)"
            " VALUES (%s, %s, %s, %s, %s)",
            customers_rows,
        )
        cursor.executemany(
            "INSERT INTO proalto_bot.credits (cedula, number, pagaduria, disbursed_amount, balance,"
            " installments_total, installments_paid, installment_amount, next_deduction_date, status)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            credit_rows,
        )


def write_lookups(path: Path, key: str, lookups: list[dict]) -> None:
    with open(path, "w") as handle:
        for body in lookups:
            handle.write(f"Api-Key {key}\t{json.dumps(body)}\n")


def create_key(env) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", "create_api_key", "bench", "--scopes", "lookup", "--rate", "100000000/min"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1]


def measure(app_path: str, bodies: Path, *, header: str | None, env, service_env, work: Path, args) -> dict:
    port, server = gunicorn(
        "proalto.wsgi:application",
        env=env,
        log=work / f"{app_path.strip('/').replace('/', '-')}.log",
        workers=args.workers,
        threads=args.threads,
    )
    extra = {"header": header} if header else {}
    with server as web:
        url = f"http://127.0.0.1:{port}{app_path}"
        # Warm up: every worker loads the app and its connections before the measured run.
        wrk(url, bodies_file=bodies, connections=args.connections, seconds=max(5, args.seconds // 4), **extra)
        groups = {
            "web (gunicorn)": [web.pid],
            "postgresql": [f"-p {service_env['DATABASE_URL'].rsplit(':', 1)[1].split('/')[0]} -c listen_addresses"],
            "redis": [service_env["REDIS_URL"].rsplit("/", 1)[0].split("//")[1]],
        }
        before = cpu_by_group(groups)
        result = wrk(url, bodies_file=bodies, connections=args.connections, seconds=args.seconds, **extra)
        after = cpu_by_group(groups)
    result["cpu_ms_per_request"] = {k: (after[k] - before[k]) * 1000 / max(1, result["requests"]) for k in groups}
    return result


def main() -> int:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    started = int(time.time())
    lines, lookups = portfolio(args.customers)
    (work / "portfolio.jsonl").write_text("\n".join(lines) + "\n")
    wa_ids = customers(5000, prefix="5731")
    write_bodies(
        work / "webhook.txt",
        [
            text_message_body(wa_id=wa_ids[i % len(wa_ids)], text="Hola, quiero saber mi saldo", pad_to=1024)
            for i in range(60000)
        ],
    )
    web = "sync workers" if args.threads == 1 else f"gthread workers x {args.threads} threads"
    print(
        f"{args.customers} customers; gunicorn {args.workers} {web}; wrk {args.connections} connections, "
        f"{args.seconds} s; {CORES} cores; PORTFOLIO_SOURCE={args.source}"
    )
    results = {}
    with services(s3_server=False) as service_env:
        env = project_env(service_env, PORTFOLIO_SOURCE=args.source)
        manage(env, "migrate", "--noinput")
        if args.source == "core":
            core_load(service_env["PROALTO_TEST_CORE_ADMIN_URL"], lines)
        else:
            manage(env, "import_clients", str(work / "portfolio.jsonl"))
        write_lookups(work / "lookups.txt", create_key(env), lookups)
        results["lookup"] = measure(
            "/api/v1/lookup/",
            work / "lookups.txt",
            header="Authorization",
            env=env,
            service_env=service_env,
            work=work,
            args=args,
        )
        results["webhook"] = measure(
            "/webhooks/whatsapp/",
            work / "webhook.txt",
            header=None,
            env=env,
            service_env=service_env,
            work=work,
            args=args,
        )
        log = (work / "api-v1-lookup.log").read_text(errors="replace")[-2000:]

    print(f"\n{'':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'errors':>7}  CPU ms per request")
    for name, r in results.items():
        errors = r["connect_errors"] + r["read_errors"] + r["timeouts"]
        cpu = ", ".join(f"{k} {v:.2f}" for k, v in r["cpu_ms_per_request"].items())
        print(f"{name:10} {r['rps']:8.0f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} {r['non_2xx']:8d} {errors:7d}  {cpu}")
    lookup, hook = results["lookup"], results["webhook"]
    ratio = lookup["rps"] / hook["rps"] if hook["rps"] else 0.0
    print(
        f"\nlookup / webhook throughput = {ratio:.1%}; "
        f"p99 lookup {lookup['p99_ms']:.1f} ms vs webhook {hook['p99_ms']:.1f} ms"
    )
    ok = lookup["p99_ms"] < 100 and lookup["non_2xx"] == 0
    print("TARGET MET (p99 < 100 ms, no errors)" if ok else "TARGET NOT MET (p99 < 100 ms, no errors)")
    if lookup["non_2xx"]:
        print(log)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"api-{started}.json").write_text(json.dumps({"args": vars(args), "cores": CORES, **results}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
