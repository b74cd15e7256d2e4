"""Throwaway PostgreSQL, Redis and S3-compatible (moto) servers on loopback, for tests and benchmarks.

``services()`` starts whichever are wanted on free 127.0.0.1 ports under
``var/test-services/<run>/`` and yields the environment variables that point the project
at them (DATABASE_URL, REDIS_URL, AWS_*, and CORE_DATABASE_URL for a second database
playing ProAlto's core); everything is stopped and deleted on exit.
``scripts/test-services`` is the command-line wrapper used by ``make test``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "var" / "test-services"
VENV_BIN = Path(sys.executable).parent
PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


class ServiceUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, *, timeout: float = 20, what: str = "service", proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise ServiceUnavailable(f"{what} exited with code {proc.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise ServiceUnavailable(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def pg_bin() -> Path | None:
    for candidate in PG_BIN_CANDIDATES:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def missing() -> list[str]:
    """Which services cannot be started on this machine."""
    out = []
    if pg_bin() is None:
        out.append("postgresql")
    if shutil.which("redis-server") is None:
        out.append("redis-server")
    if not (VENV_BIN / "moto_server").exists() and shutil.which("moto_server") is None:
        out.append("moto_server")
    return out


# --- PostgreSQL ------------------------------------------------------------------------------


def _as_postgres_user() -> tuple[list[str], pwd.struct_passwd | None]:
    """initdb refuses to run as root: run the server as the 'postgres' user then."""
    if os.geteuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise ServiceUnavailable("running as root but there is no 'postgres' user to run PostgreSQL as") from None
    return ["runuser", "-u", "postgres", "--"], user


def _reachable_by(user: pwd.struct_passwd | None, path: Path) -> bool:
    if user is None:
        return True
    result = subprocess.run(["runuser", "-u", user.pw_name, "--", "test", "-w", str(path)], capture_output=True)
    return result.returncode == 0


@contextlib.contextmanager
def postgresql(workdir: Path, *, database: str = "proalto"):
    binaries = pg_bin()
    if binaries is None:
        raise ServiceUnavailable("PostgreSQL binaries (initdb, pg_ctl) not found")
    prefix, user = _as_postgres_user()
    home = workdir / "pg"
    home.mkdir(parents=True)
    if user is not None:
        os.chown(home, user.pw_uid, user.pw_gid)
    cleanup_dir = None
    if not _reachable_by(user, home):
        # var/ is private to root here: the postgres user cannot reach it, use /tmp instead.
        home = Path(tempfile.mkdtemp(prefix="proalto-pg-"))
        cleanup_dir = home
        os.chown(home, user.pw_uid, user.pw_gid)
    data, sockets, log = home / "data", home / "sock", home / "server.log"
    port = free_port()
    run = lambda *cmd, **kw: subprocess.run([*prefix, *map(str, cmd)], check=True, capture_output=True, **kw)  # noqa: E731
    try:
        run(
            binaries / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        run("mkdir", "-p", sockets)
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -k {sockets} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB"
        )
        run(binaries / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "30", "start")
        try:
            run(binaries / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", database)
            yield f"postgres://postgres@127.0.0.1:{port}/{database}"
        finally:
            subprocess.run(
                [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
            )
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace").strip()
        if log.exists():
            detail += "\n" + log.read_text(errors="replace")[-2000:]
        raise ServiceUnavailable(f"PostgreSQL failed: {' '.join(map(str, exc.cmd))}\n{detail}") from None
    finally:
        if cleanup_dir is not None:
            shutil.rmtree(cleanup_dir, ignore_errors=True)


# --- ProAlto's core (a second database on the same cluster) -------------------------------------

CORE_SQL = ROOT / "credits" / "sql"
CORE_READER = "proalto_bot_reader"


def core_database(admin_url: str, *, database: str = "proalto_core") -> dict[str, str]:
    """A database playing ProAlto's core: the proalto_bot tables from the shipped DDL and the
    login role with SELECT on them only (credits/sql/proalto_bot_grants.sql). Returns
    CORE_DATABASE_URL (that role) and PROALTO_TEST_CORE_ADMIN_URL (the owner, with which tests
    write the core's data)."""
    import psycopg

    base = admin_url.rsplit("/", 1)[0]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    owner_url = f"{base}/{database}"
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute((CORE_SQL / "proalto_bot.sql").read_text())
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [CORE_READER]).fetchone()
        if exists:
            conn.execute(f"GRANT USAGE ON SCHEMA proalto_bot TO {CORE_READER}")
            conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA proalto_bot TO {CORE_READER}")
        else:
            conn.execute((CORE_SQL / "proalto_bot_grants.sql").read_text())
    reader_url = owner_url.replace("//postgres@", f"//{CORE_READER}@", 1)
    return {"CORE_DATABASE_URL": reader_url, "PROALTO_TEST_CORE_ADMIN_URL": owner_url}


# --- Redis -------------------------------------------------------------------------------------


def redis_start(workdir: Path, *, port: int | None = None) -> tuple[int, Path]:
    """Start a redis-server daemon (no persistence); returns its port and pid file."""
    if shutil.which("redis-server") is None:
        raise ServiceUnavailable("redis-server not found")
    port = port or free_port()
    home = workdir / f"redis-{port}"
    home.mkdir(parents=True, exist_ok=True)
    pidfile = home / "redis.pid"
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            str(pidfile),
            "--dir",
            str(home),
            "--logfile",
            str(home / "redis.log"),
        ],
        check=True,
        capture_output=True,
    )
    wait_port(port, what="redis-server")
    return port, pidfile


def redis_stop(pidfile: Path) -> None:
    with contextlib.suppress(FileNotFoundError, ProcessLookupError, ValueError):
        pid = int(pidfile.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            os.kill(pid, 0)
            time.sleep(0.1)


@contextlib.contextmanager
def redis(workdir: Path):
    port, pidfile = redis_start(workdir)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        redis_stop(pidfile)


# --- S3-compatible server (moto) -----------------------------------------------------------------


@contextlib.contextmanager
def s3(workdir: Path, *, bucket: str = "proalto-test-documents"):
    binary = VENV_BIN / "moto_server"
    if not binary.exists():
        binary = shutil.which("moto_server")
        if binary is None:
            raise ServiceUnavailable("moto_server not found (pip install -r requirements/dev.txt)")
    port = free_port()
    log = open(workdir / "moto.log", "wb")
    proc = subprocess.Popen([str(binary), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_port(port, what="moto_server", proc=proc)
        env = {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        import boto3

        boto3.client(
            "s3",
            endpoint_url=env["AWS_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket=bucket)
        yield env
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


# --- All together ----------------------------------------------------------------------------------


@contextlib.contextmanager
def services(*, postgres: bool = True, redis_server: bool = True, s3_server: bool = True, core: bool = True):
    """Start the wanted services; yields the environment that points the project at them."""
    BASE.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=BASE))
    env: dict[str, str] = {}
    try:
        with contextlib.ExitStack() as stack:
            if postgres:
                env["DATABASE_URL"] = stack.enter_context(postgresql(workdir))
                if core:
                    env.update(core_database(env["DATABASE_URL"]))
            if redis_server:
                env["REDIS_URL"] = stack.enter_context(redis(workdir))
            if s3_server:
                env.update(stack.enter_context(s3(workdir)))
            env["PROALTO_TEST_SERVICES_DIR"] = str(workdir)
            yield env
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
