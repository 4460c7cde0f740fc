#!/usr/bin/env python3
"""Dashboard benchmark (issue 10): overview and coverage latency on PostgreSQL with ~15 M
synthetic raw rows (a year of 10 000 stations: 5 M check-ins with their 5 M ledger entries, 5 M
service logs, 1 M riders), generated in the database with generate_series, in time order as real rows arrive (the BRIN
indexes rely on it). Stdlib only; needs a
local PostgreSQL (postgres@127.0.0.1:5432, trust) and the release binary.

    python3 bench/analytics.py     # builds release, generates (~5 min), measures, prints Markdown

Env: BENCH_RIDERS, BENCH_ROWS (check-ins = service logs), BENCH_SAMPLES (requests per endpoint).
"""
import os, statistics, subprocess, sys, time, urllib.request, json

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import BIN, PG_DB, PG_URL, ROOT, WORK, Server, env, http, log, psql  # noqa: E402

RIDERS = int(os.environ.get("BENCH_RIDERS", "1000000"))
ROWS = int(os.environ.get("BENCH_ROWS", "5000000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "40"))
STATIONS = 10000
STAFF_PHONE, STAFF_PASSWORD = "13900008888", "bench-staff-pass-2026"
ADMIN_PHONE, ADMIN_PASSWORD = "13900008889", "bench-admin-pass-2026"

GENERATE = f"""
INSERT INTO users (id, role, phone_enc, phone_hash, password_hash, display_name, locale, token_version, star_opt_in, created_at, updated_at)
SELECT gen_random_uuid(), 'rider', 'x', md5('bench' || g), 'x', 'bench', 'zh-CN', 0, false, now(), now()
FROM generate_series(1::bigint, {RIDERS}) g;
CREATE TEMP TABLE s AS SELECT row_number() OVER () AS n, id FROM stations;
CREATE TEMP TABLE r AS SELECT row_number() OVER () AS n, id FROM users WHERE role = 'rider';
CREATE TEMP TABLE v AS
SELECT gen_random_uuid() AS id, s.id AS station_id, r.id AS rider_id,
       now() - (g % 365) * interval '1 day' - (g % 840 + 420) * interval '1 minute' AS at
FROM generate_series(1::bigint, {ROWS}) g
JOIN s ON s.n = 1 + (g * 7919) % {STATIONS}
JOIN r ON r.n = 1 + (g * 104729) % {RIDERS}
ORDER BY at;
INSERT INTO check_ins (id, station_id, rider_id, created_at) SELECT id, station_id, rider_id, at FROM v;
INSERT INTO points_ledger (id, rider_id, delta, reason, source, created_at)
SELECT gen_random_uuid(), rider_id, 5, 'check_in',
       'checkin:' || station_id || ':' || to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') || ':' || id, at FROM v;
INSERT INTO service_logs (id, station_id, service_type, quantity, occurred_at, created_at)
SELECT gen_random_uuid(), s.id, (ARRAY['hot_water','phone_charging','meal_heating','toilet','rest_area'])[1 + g % 5], 1 + g % 3,
       now() - (g % 365) * interval '1 day' - (g % 900 + 400) * interval '1 minute',
       now() - (g % 365) * interval '1 day'
FROM generate_series(1::bigint, {ROWS}) g JOIN s ON s.n = 1 + (g * 6007) % {STATIONS}
ORDER BY 5;
ANALYZE;
"""


def cli(*args, stdin=None):
    return subprocess.run([BIN, *args], input=stdin, text=True, cwd=WORK, env=env(DATABASE_URL=PG_URL), capture_output=True, check=True).stdout


def timed(url, token, n):
    out = []
    for _ in range(n):
        req = urllib.request.Request(url, headers={"authorization": "Bearer " + token})
        t = time.monotonic()
        with urllib.request.urlopen(req, timeout=60) as r:
            r.read()
            assert r.status == 200
        out.append((time.monotonic() - t) * 1000)
    out.sort()
    return {"p50": statistics.median(out), "p95": out[max(0, int(len(out) * 0.95) - 1)], "max": out[-1]}


def main():
    if not os.environ.get("BENCH_SKIP_BUILD"):
        subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
    psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {PG_DB}")
    cli("gen", "stations", "--count", str(STATIONS), "--seed", "11")
    t = time.monotonic()
    log(f"generating {RIDERS} riders, {ROWS} check-ins (+ ledger), {ROWS} service logs…")
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", PG_DB, "-q", "-v", "ON_ERROR_STOP=1"], input=GENERATE, text=True, check=True)
    gen_s = time.monotonic() - t
    # The 90-day questions read 180 days of rollups (the period and the one before it).
    log("rebuilding 181 days of rollups…")
    rollup = cli("rollup", "--days", "181").strip()
    cli("user", "add", "--role", "staff", "--phone", STAFF_PHONE, "--region", "310115", stdin=STAFF_PASSWORD + "\n")
    cli("user", "add", "--role", "admin", "--phone", ADMIN_PHONE, stdin=ADMIN_PASSWORD + "\n")
    s = Server(PG_URL)
    staff = http("POST", s.base + "/api/v1/auth/login", {"phone": STAFF_PHONE, "password": STAFF_PASSWORD})[1]["access_token"]
    admin = http("POST", s.base + "/api/v1/auth/login", {"phone": ADMIN_PHONE, "password": ADMIN_PASSWORD})[1]["access_token"]
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    from_90 = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 - 89 * 86400))
    q = f"from={from_90}&to={today}"
    rows = [
        ("overview, 90 days, whole city (admin)", timed(f"{s.base}/api/v1/analytics/overview?{q}", admin, SAMPLES)),
        ("overview, 90 days, one district (staff, Pudong)", timed(f"{s.base}/api/v1/analytics/overview?{q}", staff, SAMPLES)),
        ("coverage, 90 days, whole city (admin)", timed(f"{s.base}/api/v1/analytics/coverage?{q}", admin, max(5, SAMPLES // 4))),
        ("stations table, 90 days, whole city (admin)", timed(f"{s.base}/api/v1/analytics/stations?{q}", admin, max(5, SAMPLES // 4))),
    ]
    counts = psql("SELECT (SELECT count(*) FROM check_ins) || ' check-ins, ' || (SELECT count(*) FROM service_logs) || ' service logs, ' || (SELECT count(*) FROM points_ledger) || ' ledger rows, ' || (SELECT count(*) FROM daily_station_visitors) || ' visitor rollup rows'", PG_DB).strip()
    s.stop()
    psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    print(f"| request (sequential, {SAMPLES} samples) | p50 | p95 | max |")
    print("| --- | ---: | ---: | ---: |")
    for name, r in rows:
        print(f"| {name} | {r['p50']:.0f} ms | {r['p95']:.0f} ms | {r['max']:.0f} ms |")
    print()
    print(f"- data: {counts}; generated in {gen_s:.0f} s; `warmnew rollup --days 181`: {rollup}")


if __name__ == "__main__":
    main()
