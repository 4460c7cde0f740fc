"""Contract fuzzing: schemathesis (every check) against the real binary.

Starts `warmnew serve` on 127.0.0.1:18091 with a fresh SQLite data folder under
target/contract/, makes two riders (by registering) and two staff of different districts
(`warmnew user add`), logs in the demo operator and admin, and runs schemathesis with the
identities in a Web Fuzzing Commons file: each operation runs as the first identity that it
admits, and reads of one party's object are replayed as the other party (`hooks.py`).
Usage: run.py path/to/warmnew  (from the repository root, with schemathesis on PATH's venv)
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORK = ROOT / "target" / "contract"
PORT = 18091
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "contract-pass-2026"
DEMO_PASSWORD = "nuanxin-demo-2026"
# Staff of two districts (Huangpu, Xuhui) that must not see each other's riders' requests.
STAFF = {"staff_x": ("19900000011", "310101"), "staff_y": ("19900000012", "310104")}
RIDERS = {
    "rider_a": "19900000001",
    "rider_b": "19900000002",
    "rider_gone": "19900000003",
    "rider_out": "19900000004",
}
# Operations that end the caller's account or sessions, each fuzzed last, alone, as a rider
# kept for it: fuzzed as a shared identity they would void its token for everything after.
SESSION_ENDING = {"DELETE /api/v1/me": "rider_gone", "POST /api/v1/auth/logout-all": "rider_out"}


def server_env():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        WARMNEW_DATA_DIR=str(WORK / "data"),
        WARMNEW_BIND=f"127.0.0.1:{PORT}",
        WARMNEW_DEMO_DATA="true",
        # A week of history is enough for every list to have rows; 90 days only slows the start.
        WARMNEW_DEMO_DAYS="7",
        WARMNEW_LOG_FORMAT="json",
        RUST_LOG="warn",
    )
    return env


def call(method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def wait_ready(server, limit=120):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"warmnew exited with {server.returncode}")
        try:
            with urllib.request.urlopen(BASE + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("warmnew did not become ready")


def login(phone, password):
    status, body = call("POST", "/api/v1/auth/login", {"phone": phone, "password": password})
    if status != 200:
        raise SystemExit(f"login failed ({status}): {body}")
    return body["access_token"]


def identities(binary, env):
    tokens = {}
    for name, phone in RIDERS.items():
        status, body = call(
            "POST", "/api/v1/auth/register", {"phone": phone, "password": PASSWORD, "display_name": name}
        )
        if status != 201:
            raise SystemExit(f"register {name} failed ({status}): {body}")
        tokens[name] = body["access_token"]
    tokens["operator"] = login("13800000002", DEMO_PASSWORD)
    for name, (phone, region) in STAFF.items():
        add = [binary, "user", "add", "--role", "staff", "--phone", phone, "--region", region, "--name", name]
        subprocess.run(add, env=env, cwd=WORK, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
        tokens[name] = login(phone, PASSWORD)
    tokens["admin"] = login("13800000004", DEMO_PASSWORD)
    return tokens


def objects(tokens):
    """One help request per rider (in each staff member's district) and the operator's station,
    for the other-party replays in hooks.py."""
    help_ids = []
    for rider, (lat, lng) in (("rider_a", (31.2317, 121.4846)), ("rider_b", (31.1885, 121.4365))):
        status, body = call(
            "POST",
            "/api/v1/help-requests",
            {"category": "vehicle_breakdown", "description": "电动车爆胎", "lat": lat, "lng": lng},
            tokens[rider],
        )
        if status != 201:
            raise SystemExit(f"help request as {rider} failed ({status}): {body}")
        help_ids.append(body["id"])
    status, me = call("GET", "/api/v1/me", token=tokens["operator"])
    if status != 200 or not me.get("station_id"):
        raise SystemExit(f"the demo operator has no station ({status})")
    station = me["station_id"]
    status, detail = call("GET", f"/api/v1/stations/{station}")
    if status != 200:
        raise SystemExit(f"station {station}: {status}")
    return {
        "tokens": tokens,
        "staff_regions": {name: region for name, (_, region) in STAFF.items()},
        "help_ids": help_ids,
        "station_id": station,
        "station_regions": {station: detail.get("region_code")},
    }


def wfc_document(tokens):
    # Document order is the escalation order: the least privileged identity an operation admits
    # is the one it is fuzzed as. The SESSION_ENDING riders come last: no operation reaches them.
    # The second rider and staff member are there for the other-party replays, not to be climbed.
    order = ["rider_a", "operator", "staff_x", "admin", "rider_b", "staff_y", *SESSION_ENDING.values()]
    return {
        "schemaVersion": "0.1.0",
        "auth": [
            {"name": n, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {tokens[n]}"}]}
            for n in order
        ],
    }


def main(binary):
    binary = str(Path(binary).resolve())
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "data").mkdir(parents=True)
    env = server_env()
    log = open(WORK / "server.log", "w")
    server = subprocess.Popen([binary, "serve"], env=env, cwd=WORK, stdout=log, stderr=log)
    try:
        wait_ready(server)
        tokens = identities(binary, env)
        auth_file = WORK / "auth.json"
        auth_file.write_text(json.dumps(wfc_document(tokens)))
        fixtures = WORK / "fixtures.json"
        fixtures.write_text(json.dumps(objects(tokens)))
        st_env = dict(os.environ)
        st_env.update(
            CONTRACT_AUTH_FILE=str(auth_file),
            CONTRACT_FIXTURES=str(fixtures),
            CONTRACT_BASE_URL=BASE,
            SCHEMATHESIS_HOOKS="hooks",
            PYTHONPATH=str(HERE),
        )
        st = Path(sys.executable).parent / "schemathesis"
        cmd = [
            str(st),
            "--config-file",
            str(HERE / "schemathesis.toml"),
            "run",
            f"{BASE}/openapi.json",
            *sys.argv[2:],
        ]
        # A 401 makes schemathesis replay with the next identity, so pinning is what keeps the
        # session-ending operations away from the shared identities.
        excluded = [arg for name in SESSION_ENDING for arg in ("--exclude-name", name)]
        runs = [("everything else", [*cmd, *excluded])]
        with urllib.request.urlopen(BASE + "/openapi.json", timeout=10) as r:
            spec = json.loads(r.read())
        labels = {f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in item}
        for name, rider in SESSION_ENDING.items():
            if name not in labels:
                continue
            runs.append((f"{name} as {rider}", [*cmd, "--include-name", name, "--auth-wfc-user", rider]))
        worst = 0
        for what, argv in runs:
            started = time.monotonic()
            result = subprocess.run(argv, env=st_env, cwd=WORK)
            print(f"schemathesis ({what}) finished in {time.monotonic() - started:.0f} s (exit {result.returncode})")
            worst = worst or result.returncode
            if server.poll() is not None:
                raise SystemExit(f"warmnew exited during the run with {server.returncode}")
        return worst
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: run.py path/to/warmnew [extra schemathesis options]")
    sys.exit(main(sys.argv[1]))
