#!/usr/bin/env python3
"""Write benchmark (issue 9): service-log batches of 20 against PostgreSQL, 32 concurrent
operators for 60 s, entries/s and p99, as a ratio to pgbench inserting the same rows (20 per
transaction into the same table) in the same run. Stdlib only; needs wrk, pgbench, a local
PostgreSQL (postgres@127.0.0.1:5432, trust) and the release binary.

    python3 bench/writes.py        # builds release, ~2.5 minutes of load, prints a Markdown report
"""
import os, re, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402
from run import BIN, PG_DB, PG_URL, ROOT, WORK, Server, env, http, log, psql  # noqa: E402

# 32 operators log in from one address within seconds: lift the per-address login limit.
run.env = lambda **kv: env(WARMNEW_AUTH__LOGIN_MAX_ATTEMPTS_PER_IP=1000, **kv)

OPERATORS = int(os.environ.get("BENCH_OPERATORS", "32"))
DURATION = os.environ.get("BENCH_WRITE_DURATION", "60s")
BATCH = 20
PASSWORD = "bench-operator-pass-2026"


def operators(s):
    """One operator per station; returns (token, station) pairs."""
    stations = psql(f"SELECT id FROM stations ORDER BY id LIMIT {OPERATORS}", PG_DB).split()
    out = []
    for i, station in enumerate(stations):
        phone = f"139{88000000 + i:08d}"
        subprocess.run([BIN, "user", "add", "--role", "operator", "--phone", phone, "--station", station],
                       input=PASSWORD + "\n", text=True, cwd=WORK, env=env(DATABASE_URL=PG_URL), capture_output=True, check=True)
        token = http("POST", s.base + "/api/v1/auth/login", {"phone": phone, "password": PASSWORD})[1]["access_token"]
        out.append((token, station))
    return out


def wrk_writes(base, creds_file):
    cmd = ["wrk", f"-t{OPERATORS}", f"-c{OPERATORS}", f"-d{DURATION}", "--latency", "--timeout", "5s",
           "-s", os.path.join(ROOT, "bench", "service_logs.lua"), base]
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "CREDS": creds_file}).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": rps, "p99_ms": p99_ms, "errors": non2xx + (sum(int(x) for x in sock.groups()) if sock else 0)}


def pgbench(station, operator):
    script = os.path.join(WORK, "insert.sql")
    with open(script, "w") as f:
        f.write(
            "INSERT INTO service_logs (id, station_id, service_type, quantity, occurred_at, operator_id, created_at) "
            f"SELECT gen_random_uuid(), :station, 'hot_water', 1 + g % 3, now(), :operator, now() FROM generate_series(1, {BATCH}) g;\n")
    out = subprocess.run(["pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-c", str(OPERATORS), "-j", "2", "-T", DURATION.rstrip("s"),
                          "-r", "-D", f"station='{station}'", "-D", f"operator='{operator}'", "-f", script, "--latency-limit", "1000", PG_DB],
                         capture_output=True, text=True).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    lat = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return {"tps": tps, "avg_ms": lat}


def main():
    if not os.environ.get("BENCH_SKIP_BUILD"):
        subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
    psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {PG_DB}")
    subprocess.run([BIN, "gen", "stations", "--count", "1000", "--seed", "9"], cwd=WORK, env=env(DATABASE_URL=PG_URL), check=True, stdout=subprocess.DEVNULL)
    s = Server(PG_URL)
    creds = operators(s)
    creds_file = os.path.join(WORK, "creds.txt")
    with open(creds_file, "w") as f:
        f.writelines(f"{t} {st}\n" for t, st in creds)
    log(f"{OPERATORS} operators posting batches of {BATCH} for {DURATION}…")
    ours = wrk_writes(s.base, creds_file)
    rows = int(psql("SELECT count(*) FROM service_logs", PG_DB))
    s.stop()
    operator = psql("SELECT id FROM users WHERE role = 'operator' LIMIT 1", PG_DB).strip()
    log(f"pgbench: {OPERATORS} clients inserting {BATCH} rows per transaction for {DURATION}…")
    base = pgbench(creds[0][1], operator)
    psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")

    ours_eps = ours["rps"] * BATCH
    base_eps = base["tps"] * BATCH
    print(f"| scenario ({OPERATORS} concurrent operators, batches of {BATCH}, {DURATION}) | entries/s | ratio to pgbench | p99 | errors |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| pgbench: INSERT … SELECT {BATCH} rows per transaction | {base_eps:.0f} | 1.00 | (avg {base['avg_ms']:.2f} ms) | 0 |")
    print(f"| POST /stations/{{id}}/service-logs (auth, checks, idempotency key, one transaction) | {ours_eps:.0f} | {ours_eps / base_eps:.2f} | {ours['p99_ms']:.2f} ms | {ours['errors']} |")
    print()
    print(f"- rows written by the API run: {rows} (= {rows // BATCH} batches; wrk counted {ours['rps']:.0f} requests/s)")


if __name__ == "__main__":
    main()
