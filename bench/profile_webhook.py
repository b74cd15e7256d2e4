"""Profile the webhook path in-process (Django test client) against the bench services."""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import APP_SECRET, customers, manage, project_env, sign, text_message_body
from services import services  # scripts/services.py: common puts scripts/ on the path

with services(s3_server=False) as service_env:
    env = project_env(service_env)
    manage(env, "migrate", "--noinput")
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    ids = customers(500)
    bodies = [text_message_body(wa_id=ids[i % 500], text="hola", pad_to=1024) for i in range(3000)]

    def post(b):
        r = client.post(
            "/webhooks/whatsapp/",
            data=b,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=sign(b, APP_SECRET),
        )
        assert r.status_code == 200, r.content

    for b in bodies[:500]:
        post(b)
    with CaptureQueriesContext(connection) as q:
        post(bodies[500])
    print(len(q.captured_queries), "queries")
    [print("  ", x["sql"][:150]) for x in q.captured_queries]
    t = time.perf_counter()
    for b in bodies[2600:3000]:
        post(b)
    print(f"{(time.perf_counter() - t) / 400 * 1000:.2f} ms per request, unprofiled, single thread")
    t = time.perf_counter()
    prof = cProfile.Profile()
    prof.enable()
    for b in bodies[600:2600]:
        post(b)
    prof.disable()
    print(f"{2000 / (time.perf_counter() - t):.0f} req/s single thread (profiled)")
    pstats.Stats(prof).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
        int(os.environ.get("PROFILE_LINES", "35"))
    )
