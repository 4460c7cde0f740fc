"""The real servers a fault run starts on its own loopback ports: Redis, a PostgreSQL cluster and
warmnew itself. Every process started here is registered for `stop_all`, which the runner calls
in `finally` and at exit, so a failing scenario never leaves a port taken for the next run.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

REDIS_BIN = "/usr/bin/redis-server"
REDIS_CLI = "/usr/bin/redis-cli"
PG_BIN = "/usr/local/bin"
PSQL = shutil.which("psql") or "/usr/bin/psql"
REDIS_PORT = 16390
PG_PORT = 15433
APP_PORT = 18090

_started = []


def binaries_missing():
    need = [REDIS_BIN, REDIS_CLI, f"{PG_BIN}/initdb", f"{PG_BIN}/pg_ctl", PSQL]
    return [b for b in need if not os.access(b, os.X_OK)]


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_until(cond, limit, what):
    """Polls `cond` until it is true or `limit` seconds pass."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if cond():
            return time.monotonic()
        time.sleep(0.05)
    raise AssertionError(f"timed out after {limit}s waiting for {what}")


def _remember(root, name, proc):
    with open(os.path.join(root, f"{name}.pid"), "w") as f:
        f.write(str(proc.pid))


def stop_leftovers(root):
    """A run killed outright (SIGKILL) cannot clean up: end what its pid files name, if those
    processes are still ours, so the ports are free again."""
    if os.path.exists(os.path.join(root, "pg", "postmaster.pid")):
        subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D",
                        os.path.join(root, "pg"), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
    for name in ("redis", "warmnew"):
        try:
            with open(os.path.join(root, f"{name}.pid")) as f:
                pid = int(f.read())
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except (OSError, ValueError):
            continue
        if (b"redis-server" in cmd and str(REDIS_PORT).encode() in cmd) or b"warmnew" in cmd:
            os.kill(pid, signal.SIGCONT)
            os.kill(pid, signal.SIGKILL)


def stop_all():
    for stop in reversed(_started):
        try:
            stop()
        except Exception as e:  # noqa: BLE001 - cleanup must go on to the next server
            print(f"cleanup: {e}")
    _started.clear()


def _kill(proc, sig=signal.SIGTERM, limit=10):
    if proc.poll() is not None:
        return
    try:
        os.kill(proc.pid, signal.SIGCONT)  # a SIGSTOPped process cannot act on SIGTERM
        proc.send_signal(sig)
        proc.wait(limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Redis:
    def __init__(self, root):
        self.dir = os.path.join(root, "redis")
        os.makedirs(self.dir, exist_ok=True)
        self.proc = None
        _started.append(self.stop)

    def start(self):
        if port_open(REDIS_PORT):
            raise AssertionError(f"port {REDIS_PORT} is taken; is an earlier fault run alive?")
        log = open(os.path.join(self.dir, "redis.log"), "a")
        self.proc = subprocess.Popen(
            [REDIS_BIN, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir],
            stdout=log, stderr=log,
        )
        _remember(os.path.dirname(self.dir), "redis", self.proc)
        wait_until(lambda: self.cli("PING") == "PONG", 10, "redis to answer")

    def stop(self):
        if self.proc:
            _kill(self.proc)
            self.proc = None
            wait_until(lambda: not port_open(REDIS_PORT), 10, "redis port to close")

    def pause(self):
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.proc.pid, signal.SIGCONT)

    def cli(self, *args):
        out = subprocess.run(
            [REDIS_CLI, "-p", str(REDIS_PORT), *args],
            capture_output=True, text=True, timeout=5,
        )
        return out.stdout.strip()


class Postgres:
    def __init__(self, root):
        self.data = os.path.join(root, "pg")
        self.log = os.path.join(root, "pg.log")
        self.root = root
        _started.append(self.stop)

    def _as_pg(self, *args, check=True, timeout=60):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=check, capture_output=True, text=True, timeout=timeout,
        )

    def init(self):
        if port_open(PG_PORT):
            raise AssertionError(f"port {PG_PORT} is taken; is an earlier fault run still alive?")
        shutil.rmtree(self.data, ignore_errors=True)
        os.makedirs(self.data)
        shutil.chown(self.data, "postgres", "postgres")
        for path in (self.root, os.path.dirname(self.root)):
            os.chmod(path, os.stat(path).st_mode | 0o711)  # postgres must reach its data dir
        open(self.log, "w").close()
        shutil.chown(self.log, "postgres", "postgres")
        self._as_pg(f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--no-sync")
        with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
            conf.write(
                f"\nport = {PG_PORT}\nlisten_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\nfsync = off\nmax_connections = 50\n"
            )

    def start(self):
        self._as_pg(f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "start")

    def stop(self, mode="fast"):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._as_pg(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)
        if os.path.isdir(self.data):
            wait_until(lambda: not port_open(PG_PORT), 20, "postgres port to close")

    def sql(self, query, db="warmnew"):
        out = subprocess.run(
            [PSQL, "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", db,
             "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query],
            check=True, capture_output=True, text=True, timeout=30,
        )
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{PG_PORT}/warmnew"


class Warmnew:
    def __init__(self, binary, root, **extra_env):
        self.binary = binary
        self.data = os.path.join(root, "data")
        os.makedirs(self.data, exist_ok=True)
        self.extra_env = extra_env
        self.proc = None
        self.base = f"http://127.0.0.1:{APP_PORT}"
        _started.append(self.stop)

    def start(self, database_url, redis_url):
        if port_open(APP_PORT):
            raise AssertionError(f"port {APP_PORT} is taken; is an earlier fault run still alive?")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("WARMNEW_") and k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            WARMNEW_DATABASE_URL=database_url,
            WARMNEW_REDIS_URL=redis_url,
            WARMNEW_BIND=f"127.0.0.1:{APP_PORT}",
            WARMNEW_DATA_DIR=self.data,
            WARMNEW_DEMO_DATA="true",
            WARMNEW_DEMO_DAYS="1",
            WARMNEW_WORKERS="2",
            WARMNEW_LOG_FORMAT="json",
            # Cheap hashing: the scenarios log in often; the cost is not what is under test.
            WARMNEW_AUTH__ARGON2_MEMORY_KIB="1024",
            WARMNEW_AUTH__ARGON2_ITERATIONS="1",
            RUST_LOG="warn",
        )
        env.update(self.extra_env)
        self.log_path = os.path.join(self.data, "server.log")
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen([self.binary, "serve"], env=env, cwd=self.data,
                                     stdout=log, stderr=log)
        _remember(os.path.dirname(self.data), "warmnew", self.proc)
        wait_until(self.ready, 120, "warmnew to be ready")

    def ready(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"warmnew exited with {self.proc.returncode}; see {self.log_path}")
        return self.readyz()[0] == 200

    def readyz(self):
        try:
            with urllib.request.urlopen(self.base + "/readyz", timeout=3) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")
        except OSError:
            return 0, {}

    def terminate(self):
        self.proc.send_signal(signal.SIGTERM)

    def stop(self):
        if self.proc:
            _kill(self.proc, limit=40)
            self.proc = None
            wait_until(lambda: not port_open(APP_PORT), 10, "warmnew port to close")
