#!/usr/bin/env python3
"""Reproducible benchmark of station lookups (issue 3). Stdlib only; needs wrk, redis-server,
a local PostgreSQL (postgres@127.0.0.1:5432, trust) and the release binary.

    python3 bench/run.py            # builds release, ~5 minutes of load, prints a Markdown report

Everything runs in one go on this machine so the ratios compare like with like: the baseline is
the same server's /healthz. Redis for the bench is a private redis-server on port 6391 (the
"Redis stops mid-run" scenario kills and restarts it); PostgreSQL uses a scratch database.
"""
import json, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "warmnew")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "warmnew_bench"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
REDIS_PORT = 6391
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}"
STATIONS = int(os.environ.get("BENCH_STATIONS", "100000"))
DURATION = os.environ.get("BENCH_DURATION", "15s")
CONNS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
ADMIN_PHONE, ADMIN_PASSWORD = "13900009999", "bench-admin-pass-2026"
WORK = tempfile.mkdtemp(prefix="warmnew-bench-")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def env(**kv):
    e = {k: v for k, v in os.environ.items() if not k.startswith("WARMNEW_") and k not in ("DATABASE_URL", "REDIS_URL")}
    e.update({"WARMNEW_DEMO_DATA": "false", "WARMNEW_LOG_FORMAT": "json", "RUST_LOG": "warn", "WARMNEW_DATA_DIR": WORK})
    e.update({k: str(v) for k, v in kv.items() if v is not None})
    return e


def http(method, url, body=None, token=None):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.status, json.loads(r.read() or b"null")


class Server:
    def __init__(self, database_url, redis_url=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        start = time.monotonic()
        self.proc = subprocess.Popen([BIN, "serve"], cwd=WORK, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=env(DATABASE_URL=database_url, REDIS_URL=redis_url, WARMNEW_BIND=f"127.0.0.1:{self.port}"))
        while True:
            if self.proc.poll() is not None:
                raise SystemExit("server exited: " + self.proc.stderr.read().decode())
            try:
                if urllib.request.urlopen(self.base + "/readyz", timeout=1).status == 200:
                    break
            except Exception:
                pass
            if time.monotonic() - start > 60:
                raise SystemExit("server did not become ready in 60 s")
            time.sleep(0.01)  # polling for readiness, not synchronising a test
        self.start_s = time.monotonic() - start

    def rss_mb(self):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def wrk(base, script, path="/", extra_env=None, duration=DURATION):
    cmd = ["wrk", "-t2", f"-c{CONNS}", f"-d{duration}", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", os.path.join(ROOT, "bench", script)]
    out = subprocess.run(cmd + [base + path], capture_output=True, text=True, env={**os.environ, **(extra_env or {})}).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = non2xx + (sum(int(x) for x in sock.groups()) if sock else 0)
    return {"rps": rps, "p99_ms": p99_ms, "errors": errors}


def redis_start():
    subprocess.run(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes",
                    "--logfile", os.path.join(WORK, "redis.log")], check=True)
    for _ in range(200):
        if subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True).returncode == 0:
            return
        time.sleep(0.02)


def redis_stop():
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True)


def psql(sql, db="postgres"):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-Atc", sql], capture_output=True, text=True, check=True).stdout


def gen(database_url):
    t = time.monotonic()
    subprocess.run([BIN, "gen", "stations", "--count", str(STATIONS), "--seed", "42"], cwd=WORK, env=env(DATABASE_URL=database_url), check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t


def admin_token(s):
    subprocess.run([BIN, "user", "add", "--role", "admin", "--phone", ADMIN_PHONE], input=ADMIN_PASSWORD + "\n", text=True, cwd=WORK,
                   env=env(DATABASE_URL=PG_URL), capture_output=True)
    return http("POST", s.base + "/api/v1/auth/login", {"phone": ADMIN_PHONE, "password": ADMIN_PASSWORD})[1]["access_token"]


def propagation(a, b, token, rounds=20):
    """PATCH a station's status through A, poll B's nearby until it shows; seconds per round."""
    _, page = http("GET", a.base + "/api/v1/stations?per_page=1")
    st = page["items"][0]
    near = f"{b.base}/api/v1/stations/nearby?lat={st['lat']}&lng={st['lng']}&radius_m=50&limit=50"
    out = []
    for i in range(rounds):
        status = "full" if i % 2 == 0 else "open"
        t = time.monotonic()
        http("PATCH", f"{a.base}/api/v1/stations/{st['id']}", {"status": status}, token)
        while True:
            items = http("GET", near)[1]["items"]
            if any(x["id"] == st["id"] and x["status"] == status for x in items):
                break
            if time.monotonic() - t > 5:
                break
        out.append(time.monotonic() - t)
    return out


def main():
    subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
    rows, notes = [], []
    # --- SQLite, no Redis -------------------------------------------------------
    sqlite_url = f"sqlite://{WORK}/bench.db?mode=rwc"
    log(f"generating {STATIONS} stations (SQLite)…")
    gen_sqlite = gen(sqlite_url)
    s = Server(sqlite_url)
    base = wrk(s.base, None, "/healthz")
    near = wrk(s.base, "nearby.lua")
    rows.append(("baseline /healthz (SQLite, no Redis)", base, 1.0))
    rows.append(("nearby, no Redis (SQLite)", near, near["rps"] / base["rps"]))
    notes.append(f"cold start with {STATIONS} stations (SQLite, to /readyz 200): {s.start_s:.2f} s; RSS after load: {s.rss_mb():.0f} MB; gen: {gen_sqlite:.1f} s")
    s.stop()
    # --- PostgreSQL + Redis -----------------------------------------------------
    psql(f"DROP DATABASE IF EXISTS {PG_DB}")
    psql(f"CREATE DATABASE {PG_DB}")
    log(f"generating {STATIONS} stations (PostgreSQL)…")
    gen_pg = gen(PG_URL)
    redis_start()
    a = Server(PG_URL, REDIS_URL)
    b = Server(PG_URL, REDIS_URL)
    notes.append(f"cold start with {STATIONS} stations (PostgreSQL + Redis): {a.start_s:.2f} s (first), {b.start_s:.2f} s (second instance); RSS: {a.rss_mb():.0f} MB; gen: {gen_pg:.1f} s")
    base_pg = wrk(a.base, None, "/healthz")
    near_pg = wrk(a.base, "nearby.lua")
    ids = os.path.join(WORK, "ids.txt")
    with open(ids, "w") as f:
        f.write(psql("SELECT id FROM stations ORDER BY random() LIMIT 5000", PG_DB))
    detail = wrk(a.base, "detail.lua", extra_env={"IDS": ids})
    rows.append(("baseline /healthz (PostgreSQL + Redis)", base_pg, 1.0))
    rows.append(("nearby, Redis configured", near_pg, near_pg["rps"] / base_pg["rps"]))
    rows.append(("GET /stations/{id}, Redis", detail, detail["rps"] / base_pg["rps"]))
    token = admin_token(a)
    lat = propagation(a, b, token)
    notes.append(f"write on A visible in nearby on B (20 rounds, Redis up): median {statistics.median(lat)*1000:.0f} ms, max {max(lat)*1000:.0f} ms")
    # Redis stops 5 s into a 20 s run and comes back 10 s later.
    proc = subprocess.Popen([sys.executable, "-c", "import time,subprocess,sys; time.sleep(5); subprocess.run(['redis-cli','-p',sys.argv[1],'shutdown','nosave']); time.sleep(10); subprocess.run(sys.argv[2:])",
                             str(REDIS_PORT), "redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes"])
    near_fault = wrk(a.base, "nearby.lua", duration="20s")
    proc.wait()
    rows.append(("nearby, Redis stopped 5 s in, back 10 s later", near_fault, near_fault["rps"] / base_pg["rps"]))
    lat_down = []
    redis_stop()
    lat_down = propagation(a, b, token, rounds=5)
    notes.append(f"write on A visible on B with Redis down (DB polling): median {statistics.median(lat_down)*1000:.0f} ms, max {max(lat_down)*1000:.0f} ms")
    a.stop()
    b.stop()
    psql(f"DROP DATABASE IF EXISTS {PG_DB}")
    shutil.rmtree(WORK, ignore_errors=True)

    print(f"| scenario ({CONNS} connections, wrk -t2, {DURATION}) | requests/s | ratio to baseline | p99 | errors |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, r, ratio in rows:
        print(f"| {name} | {r['rps']:.0f} | {ratio:.2f} | {r['p99_ms']:.2f} ms | {r['errors']} |")
    print()
    for n in notes:
        print(f"- {n}")


if __name__ == "__main__":
    main()
