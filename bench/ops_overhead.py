"""What metrics files and JSON log lines add to one webhook request, in CPU time.

bench/webhook measures throughput against the floor, which a busy machine blurs; this
measures CPU per request in one process (time.process_time), which other load disturbs
much less: the same signed webhooks through Django's full middleware stack and the real
view, once as in production (PROMETHEUS_MULTIPROC_DIR, LOG_FORMAT=json at INFO, the lines
written to a file) and once without (counters in process memory, logs at WARNING), each in
a fresh process on its own SQLite database and file-system broker; the processes alternate,
and the best round of each kind is kept.

    .venv/bin/python bench/ops_overhead.py [--requests 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, os.environ["BENCH_ROOT"])
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from bench.common import APP_SECRET, text_message_body
from conversations.messaging.webhook import sign

call_command("migrate", verbosity=0)
client = Client()
count = int(os.environ["BENCH_REQUESTS"])

def post_many(n, prefix):
    bodies = [text_message_body(wa_id=f"57300{prefix}{i % 500:05d}", text="Hola, quiero saber mi saldo", pad_to=1024)
              for i in range(n)]
    signed = [(b, sign(b, APP_SECRET)) for b in bodies]
    started = time.process_time()
    for body, signature in signed:
        response = client.post("/webhooks/whatsapp/", data=body, content_type="application/json",
                               HTTP_X_HUB_SIGNATURE_256=signature)
        assert response.status_code == 200, response.content
    return (time.process_time() - started) / n

post_many(300, "9")  # warm up
rounds = [post_many(count, str(r)) for r in range(5)]
print(json.dumps({"best_ms": min(rounds) * 1000, "rounds_ms": [r * 1000 for r in rounds]}))
"""


def run(*, ops: bool, requests: int, work: Path) -> dict:
    var = work / ("ops" if ops else "plain")
    var.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "AWS_", "PROMETHEUS_"))}
    env.update(
        BENCH_ROOT=str(ROOT),
        BENCH_REQUESTS=str(requests),
        DJANGO_SETTINGS_MODULE="proalto.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        PROALTO_SANDBOX="false",
        PROALTO_VAR_DIR=str(var),
        WHATSAPP_ACCESS_TOKEN="bench-access-token",
        WHATSAPP_APP_SECRET="bench-app-secret",
        WHATSAPP_VERIFY_TOKEN="bench-verify-token",
        WHATSAPP_PHONE_NUMBER_ID="106540352242922",
    )
    if ops:
        env.update(LOG_LEVEL="INFO", LOG_FORMAT="json", PROMETHEUS_MULTIPROC_DIR=str(var / "metrics"))
    else:
        env.update(LOG_LEVEL="WARNING", LOG_FORMAT="plain")
    with open(var / "log.txt", "wb") as log:
        out = subprocess.run(
            [sys.executable, "-c", CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, check=True
        )
    result = json.loads(out.stdout.decode().strip().splitlines()[-1])
    result["log_lines"] = sum(1 for _ in open(var / "log.txt", "rb"))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=3, help="processes of each kind, alternated (best kept)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-ops-"))
    runs = {False: [], True: []}
    for pair in range(args.pairs):  # alternated, so a burst of load elsewhere hits both alike
        for ops_on in (False, True):
            runs[ops_on].append(run(ops=ops_on, requests=args.requests, work=work / str(pair)))
    plain, ops = (min(runs[kind], key=lambda r: r["best_ms"]) for kind in (False, True))
    extra = ops["best_ms"] - plain["best_ms"]
    print(f"without metrics files and JSON logs: {plain['best_ms']:.3f} ms CPU per webhook request")
    print(f"with them:                           {ops['best_ms']:.3f} ms ({ops['log_lines']} log lines written)")
    print(f"they add {extra * 1000:.0f} µs per request, {extra / plain['best_ms']:.1%} of its CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
