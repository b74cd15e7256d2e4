"""Shared pieces of the benchmarks: throwaway PostgreSQL/Redis (scripts/services.py),
gunicorn on loopback, signed webhook bodies, and wrk as the load generator."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from services import free_port, wait_port  # noqa: E402

from conversations.messaging.webhook import sign  # noqa: E402  (pure module, no Django needed)

VENV_BIN = Path(sys.executable).parent
APP_SECRET = "bench-app-secret"
ACCESS_TOKEN = "bench-access-token"
CORES = os.cpu_count() or 2


def project_env(service_env: dict[str, str], **extra: str) -> dict[str, str]:
    """The production-like environment of the web and worker processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DATABASE_", "REDIS_"))}
    env.update(service_env)
    env.update(
        DJANGO_SETTINGS_MODULE="proalto.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        PROALTO_SANDBOX="false",
        WHATSAPP_ACCESS_TOKEN=ACCESS_TOKEN,
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN="bench-verify-token",
        WHATSAPP_PHONE_NUMBER_ID="106540352242922",  # the business number of the signed bodies
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def process(cmd: list[str], *, env: dict[str, str], log: Path, port: int | None = None, what: str = "process"):
    handle = open(log, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if port:
            wait_port(port, timeout=60, what=what, proc=proc)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
        handle.close()


def gunicorn(app: str, *, env: dict[str, str], log: Path, workers: int, threads: int, pythonpath: str | None = None):
    port = free_port()
    cmd = [
        str(VENV_BIN / "gunicorn"),
        app,
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--backlog",
        "2048",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    if pythonpath:
        cmd += ["--pythonpath", pythonpath]
    return port, process(cmd, env=env, log=log, port=port, what=f"gunicorn {app}")


def text_message_body(
    *, wa_id: str, text: str, message_id: str | None = None, timestamp: int | None = None, pad_to: int = 0
) -> bytes:
    """A webhook body as Meta sends it for one text message."""
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
                            "contacts": [{"profile": {"name": "Cliente de prueba"}, "wa_id": wa_id}],
                            "messages": [
                                {
                                    "from": wa_id,
                                    "id": message_id or f"wamid.bench.{secrets.token_hex(16)}",
                                    "timestamp": str(timestamp or int(time.time())),
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    body = json.dumps(payload, ensure_ascii=False).encode()
    if pad_to and len(body) < pad_to:
        payload["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = (
            text + " " + "x" * (pad_to - len(body) - 1)
        )
        body = json.dumps(payload, ensure_ascii=False).encode()
    return body


def customers(count: int, *, prefix: str = "5731") -> list[str]:
    return [f"{prefix}{i:08d}" for i in range(count)]


WRK_SCRIPT = ROOT / "bench" / "signed_bodies.lua"


def wrk(
    url: str,
    *,
    bodies_file: Path,
    connections: int,
    seconds: int,
    threads: int = 2,
    header: str = "X-Hub-Signature-256",
) -> dict:
    """Run wrk with the pre-built bodies (each line's first field is ``header``'s value);
    returns requests/s, p50/p99 (ms) and errors."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(WRK_SCRIPT),
            url,
            "--",
            str(bodies_file),
            str(threads),
            header,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(row for row in out.splitlines() if row.startswith("JSON "))
    stats = json.loads(line[5:])
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    stats["p50_ms"] = stats.pop("p50_us") / 1000
    stats["p99_ms"] = stats.pop("p99_us") / 1000
    return stats


def write_bodies(path: Path, bodies: list[bytes]) -> None:
    with open(path, "wb") as handle:
        for body in bodies:
            assert b"\n" not in body and b"\t" not in body
            handle.write(sign(body, APP_SECRET).encode() + b"\t" + body + b"\n")


# --- CPU accounting: where the cores go during a phase -------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _proc_table() -> dict[int, tuple[int, float, str]]:
    """pid -> (parent pid, CPU seconds used, command line), from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        # Own time plus reaped children's: PostgreSQL backends of recycled connections
        # (CONN_MAX_AGE) exit during a phase, and their time moves to the postmaster.
        table[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]) / _TICK, cmdline)
    return table


def cpu_by_group(groups: dict[str, list]) -> dict[str, float]:
    """CPU seconds used so far by each group; a group is a list of root pids (the process
    and its descendants count) or of command-line fragments that pick the roots."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out = {}
    for name, roots in groups.items():
        pids = [r for r in roots if isinstance(r, int)]
        pids += [pid for pid, (_, _, cmd) in table.items() for r in roots if isinstance(r, str) and r in cmd]
        seen, total = set(), 0.0
        while pids:
            pid = pids.pop()
            if pid in seen or pid not in table:
                continue
            seen.add(pid)
            total += table[pid][1]
            pids.extend(children.get(pid, []))
        out[name] = total
    return out
