"""/readyz of a real gunicorn process while what it depends on stops and comes back.

Embedded run: the core database (a second alias configured by tests/ops/core_settings.py) is
a SQLite file whose folder disappears. Services run: the process's own PostgreSQL (default),
a second PostgreSQL cluster as the core, and its own Redis (cache and broker), each really
stopped and started again; /readyz goes 503 naming the check, and back to 200.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import requests

from scripts.services import (
    ServiceUnavailable,
    _as_postgres_user,
    free_port,
    missing,
    pg_bin,
    postgresql,
    redis_start,
    redis_stop,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class Web:
    """gunicorn serving proalto.wsgi with the given environment."""

    def __init__(self, tmp_path: Path, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(tmp_path / "web.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "proalto.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "1"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "tests.ops.core_settings",
                "READINESS_CACHE_SECONDS": "0",
                "PROALTO_VAR_DIR": str(tmp_path / "var"),
                **env,
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp_path / "web.log").read_text(errors="replace")[-3000:])
            time.sleep(0.2)

    def ready(self) -> tuple[int, dict]:
        response = requests.get(f"{self.url}/readyz", timeout=30)
        return response.status_code, {name: check["ok"] for name, check in response.json()["checks"].items()}

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(20)
        self.log.close()


def test_the_core_database_going_away_makes_the_instance_unready(tmp_path):
    core_dir = tmp_path / "core"
    core_dir.mkdir()
    web = Web(tmp_path, {"TEST_CORE_DATABASE_URL": f"sqlite:///{core_dir / 'core.sqlite3'}"})
    try:
        assert web.ready() == (200, dict.fromkeys(_CHECKS, True))
        core_dir.rename(tmp_path / "core-away")
        status, checks = web.ready()
        assert status == 503
        assert checks["database:core"] is False and checks["database:default"] is True
        (tmp_path / "core-away").rename(core_dir)
        assert web.ready()[0] == 200
    finally:
        web.stop()


_CHECKS = ("database:default", "database:core", "cache", "broker", "storage", "meta_token")


class Cluster:
    """Stop and start a PostgreSQL cluster started by scripts/services.py, in place."""

    def __init__(self, url: str):
        with psycopg.connect(url) as conn:
            self.data = conn.execute("SHOW data_directory").fetchone()[0]
            self.sockets = conn.execute("SHOW unix_socket_directories").fetchone()[0]
        self.port = int(url.rsplit(":", 1)[1].split("/")[0])
        self.prefix, _ = _as_postgres_user()

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.prefix, str(pg_bin() / "pg_ctl"), "-D", self.data, *args], check=True, capture_output=True
        )

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.sockets} -c fsync=off"
        self._pg_ctl("-l", f"{self.data}/../restart.log", "-o", options, "-w", "-t", "30", "start")


@pytest.mark.services
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres") or bool(missing()),
    reason="needs PostgreSQL and redis-server to start and stop its own (make test-services)",
)
def test_postgresql_redis_and_the_core_stopped_and_started_again(tmp_path):
    try:
        with postgresql(tmp_path / "default") as default_url, postgresql(tmp_path / "core") as core_url:
            redis_port, redis_pid = redis_start(tmp_path)
            web = Web(
                tmp_path,
                {
                    "DATABASE_URL": default_url,
                    "TEST_CORE_DATABASE_URL": core_url,
                    "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                    "AWS_STORAGE_BUCKET_NAME": "",
                },
            )
            try:
                assert web.ready() == (200, dict.fromkeys(_CHECKS, True))

                redis_stop(redis_pid)
                status, checks = web.ready()
                assert status == 503 and checks["cache"] is False and checks["broker"] is False
                redis_port, redis_pid = redis_start(tmp_path, port=redis_port)
                assert web.ready()[0] == 200

                for alias, url in (("default", default_url), ("core", core_url)):
                    cluster = Cluster(url)
                    cluster.stop()
                    status, checks = web.ready()
                    assert status == 503 and checks[f"database:{alias}"] is False, (alias, checks)
                    cluster.start()
                    assert web.ready() == (200, dict.fromkeys(_CHECKS, True)), alias
            finally:
                web.stop()
                redis_stop(redis_pid)
    except ServiceUnavailable as exc:
        pytest.fail(f"could not start the test's own services: {exc}")
