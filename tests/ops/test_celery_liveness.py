"""Workers and beat tell the orchestrator they are alive: each touches a heartbeat file from
its main loop, and `manage.py celery_alive worker|beat` reads its age."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.beat import Service
from django.core.management import CommandError, call_command

from proalto.celery import HeartbeatScheduler, app
from tests.realworker import REAL_WORKER, Worker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def heartbeats(settings, tmp_path):
    settings.HEARTBEAT_DIR = tmp_path / "run"
    return settings.HEARTBEAT_DIR


def test_no_heartbeat_is_not_alive(heartbeats):
    with pytest.raises(CommandError, match="worker not alive: no heartbeat"):
        call_command("celery_alive", "worker")


def test_a_stale_heartbeat_is_not_alive(heartbeats, capsys):
    heartbeats.mkdir()
    beat = heartbeats / "celery-beat.heartbeat"
    beat.touch()
    call_command("celery_alive", "beat")
    assert "beat alive" in capsys.readouterr().out
    old = time.time() - 120
    os.utime(beat, (old, old))
    with pytest.raises(CommandError, match="beat not alive: last heartbeat 120 s ago"):
        call_command("celery_alive", "beat", "--max-age", "60")


def test_beat_touches_its_heartbeat_on_every_tick(heartbeats, tmp_path):
    scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
    scheduler.setup_schedule()
    interval = scheduler.tick()
    assert (heartbeats / "celery-beat.heartbeat").exists()
    assert interval <= HeartbeatScheduler.max_interval
    assert app.conf.beat_scheduler == "proalto.celery:HeartbeatScheduler"
    Service(app=app, schedule_filename=str(tmp_path / "schedule"))  # the setting beat reads resolves


@REAL_WORKER[0]
@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis as the broker (make test-services)")
def test_a_running_worker_is_alive_and_a_stopped_one_is_not(tmp_path):
    run_dir = tmp_path / "run"
    env = {**os.environ, "HEARTBEAT_DIR": str(run_dir), "HEARTBEAT_SECONDS": "1", "PYTHONUNBUFFERED": "1"}
    worker = Worker(tmp_path / "worker.log", env)
    try:
        alive = [sys.executable, "manage.py", "celery_alive", "worker", "--max-age", "3"]
        result = subprocess.run(alive, cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        os.killpg(worker.proc.pid, 19)  # SIGSTOP: a hung worker stops touching its heartbeat
        time.sleep(5)
        result = subprocess.run(alive, cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode != 0 and "worker not alive" in result.stderr
    finally:
        os.killpg(worker.proc.pid, 18)  # SIGCONT, so it can be stopped
        worker.stop()
