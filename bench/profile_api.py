"""Profile the API lookup path in-process (Django test client) against the bench services:
the statements one lookup runs, its single-thread cost, and a cProfile of 1,000 lookups.

    .venv/bin/python bench/profile_api.py [core]    (PORTFOLIO_SOURCE: local by default)
"""

import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "api"))
from common import manage, project_env
from run import core_load, create_key, portfolio
from services import services  # scripts/services.py: common puts scripts/ on the path

with services(s3_server=False) as service_env:
    source = sys.argv[1] if len(sys.argv) > 1 else "local"
    env = project_env(service_env, PORTFOLIO_SOURCE=source)
    manage(env, "migrate", "--noinput")
    lines, lookups = portfolio(1000)
    if source == "core":
        core_load(service_env["PROALTO_TEST_CORE_ADMIN_URL"], lines)
    else:
        drop = Path(os.environ.get("TMPDIR", "/tmp")) / f"profile-api-{os.getpid()}.jsonl"
        drop.write_text("\n".join(lines) + "\n")
        manage(env, "import_clients", str(drop))
    key = create_key(env)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Api-Key {key}")

    def post(body):
        response = client.post("/api/v1/lookup/", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 200 and response.json()["ok"], response.content

    for body in lookups[:200]:
        post(body)
    with CaptureQueriesContext(connection) as queries:
        post(lookups[200])
    print(len(queries.captured_queries), "queries")
    for query in queries.captured_queries:
        print("  ", query["sql"][:160])
    started = time.perf_counter()
    for body in lookups[300:700]:
        post(body)
    print(f"{(time.perf_counter() - started) / 400 * 1000:.2f} ms per lookup, unprofiled, single thread")
    profile = cProfile.Profile()
    profile.enable()
    for body in lookups[:1000]:
        post(body)
    profile.disable()
    pstats.Stats(profile).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
        int(os.environ.get("PROFILE_LINES", "45"))
    )
