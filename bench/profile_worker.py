"""Profile one customer message through the worker path in-process (eager Celery, the
stand-in in its own process): queries and time per message."""

import cProfile
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    ACCESS_TOKEN,
    APP_SECRET,
    ROOT,
    customers,
    free_port,
    manage,
    process,
    project_env,
    sign,
    text_message_body,
)
from services import services  # scripts/services.py: common puts scripts/ on the path

sys.path.insert(0, str(ROOT / "bench" / "e2e"))

with services(s3_server=False) as service_env:
    port = free_port()
    env = project_env(service_env, WHATSAPP_API_BASE_URL=f"http://127.0.0.1:{port}", CELERY_TASK_ALWAYS_EAGER="true")
    manage(env, "migrate", "--noinput")
    from run import CONSENT_SCRIPT

    ids = customers(50, prefix="5734")
    subprocess.run(
        [sys.executable, "-c", "import django, sys; django.setup(); exec(sys.argv[1])", CONSENT_SCRIPT, *ids],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with process(
        [sys.executable, "-m", "conversations.dev.standin", "--port", str(port), "--token", ACCESS_TOKEN],
        env=env,
        log=Path("/tmp/standin-prof.log"),
        port=port,
    ):
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client(HTTP_HOST="127.0.0.1")

        def post(wa_id):
            b = text_message_body(wa_id=wa_id, text="menú")
            assert (
                client.post(
                    "/webhooks/whatsapp/",
                    data=b,
                    content_type="application/json",
                    HTTP_X_HUB_SIGNATURE_256=sign(b, APP_SECRET),
                ).status_code
                == 200
            )

        for w in ids:
            post(w)
        with CaptureQueriesContext(connection) as q:
            post(ids[0])
        print(len(q.captured_queries), "queries for one 'menú' message (ingest + process + send)")
        for x in q.captured_queries:
            print("   ", x["sql"][:110])
        t = time.perf_counter()
        for i in range(200):
            post(ids[i % 50])
        print(f"{(time.perf_counter() - t) / 200 * 1000:.1f} ms per message, single process, unprofiled")
        prof = cProfile.Profile()
        prof.enable()
        for i in range(200):
            post(ids[i % 50])
        prof.disable()
        pstats.Stats(prof).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
            int(os.environ.get("PROFILE_LINES", "40"))
        )
