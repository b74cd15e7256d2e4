"""gunicorn settings of ProAlto's web process (README, "Production").

    gunicorn -c deploy/gunicorn.conf.py proalto.wsgi

Everything can be changed from the environment without editing this file. Sizes: on a
2-vCPU machine that also runs the Celery worker, 1 worker process with 4 threads did best
end to end (README, Benchmarks); on a machine of its own, one process per vCPU.
"""

import os

from prometheus_client import multiprocess

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# The webhook answers in milliseconds; a request running this long is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Longer than the load balancer's idle timeout would be wrong: the balancer must close first
# (AWS ALB: 60 s by default, so keep-alive connections from it live 75 s here).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# Workers are replaced now and then, so a slow leak never grows for weeks.
max_requests = 5000
max_requests_jitter = 500
# Heartbeats of gunicorn's workers in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Access lines come from the load balancer; the application's own lines are JSON (LOG_FORMAT).
accesslog = None
errorlog = "-"


def on_starting(server):
    """The metrics directory of this web process group starts empty: files of an earlier
    run's workers would be added to this run's counters."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.unlink(os.path.join(folder, name))


def child_exit(server, worker):
    """A worker that exits leaves its counters (they are cumulative) but not its live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
