"""The web process's entry point: what it leaves the garbage collector to walk."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import gc, proalto.wsgi
frozen = gc.get_freeze_count()
import django.contrib.admin.sites
print(frozen, len(gc.get_objects()))
"""


def test_the_loaded_application_is_out_of_the_collectors_sight(tmp_path):
    """Django and the apps, loaded once per worker, are frozen: a full collection walks only
    what requests leave (a collection of the whole heap stalled a worker for over 100 ms)."""
    env = {**os.environ, "PROALTO_VAR_DIR": str(tmp_path / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    frozen, tracked = map(int, out.stdout.split())
    assert frozen > 50_000  # the loaded project, not a handful of objects
    assert tracked < frozen / 10


def test_a_celery_pool_process_freezes_what_it_inherited():
    import gc

    from proalto.celery import _loaded_objects_freeze

    assert gc.get_freeze_count() == 0
    try:
        _loaded_objects_freeze()
        assert gc.get_freeze_count() > 50_000
    finally:
        gc.unfreeze()
