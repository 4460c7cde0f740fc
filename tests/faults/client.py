"""HTTP against the running binary: one call (`call`), riders, and a threaded mixed load whose
every answer (status, time, problem code, Retry-After) is kept for the scenario to judge.
"""

import http.client
import json
import random
import threading
import time
import uuid

from servers import APP_PORT

LAT, LNG = 31.2235, 121.4452  # Jing'an: demo stations are near
DEMO_PASSWORD = "nuanxin-demo-2026"


class Answer:
    def __init__(self, name, status, elapsed, headers, body):
        self.name = name
        self.status = status
        self.elapsed = elapsed
        self.headers = headers
        self.body = body
        self.at = time.monotonic()

    def json(self):
        return json.loads(self.body) if self.body else None

    @property
    def problem_ok(self):
        """A 503 as the contract has it: problem+json with a code and Retry-After."""
        if self.status != 503:
            return False
        try:
            code = self.json().get("code")
        except ValueError:
            return False
        return (self.headers.get("content-type", "").startswith("application/problem+json")
                and code == "service_unavailable" and self.headers.get("retry-after", "").isdigit())

    def __repr__(self):
        return f"{self.name} {self.status} {self.elapsed:.2f}s {self.body[:160]!r}"


def call(method, path, body=None, token=None, headers=None, timeout=15, name=None):
    """One request on a fresh connection; connection failures come back as status 0."""
    h = {"Accept": "application/json"}
    if body is not None:
        h["Content-Type"] = "application/json"
    if token:
        h["Authorization"] = f"Bearer {token}"
    h.update(headers or {})
    data = json.dumps(body).encode() if body is not None else None
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=h)
        res = conn.getresponse()
        text = res.read().decode("utf-8", "replace")
        hdrs = {k.lower(): v for k, v in res.getheaders()}
        return Answer(name or path, res.status, time.monotonic() - started, hdrs, text)
    except (OSError, http.client.HTTPException) as e:
        return Answer(name or path, 0, time.monotonic() - started, {}, f"{type(e).__name__}: {e}")
    finally:
        conn.close()


def expect(answer, *statuses):
    if answer.status not in statuses:
        raise AssertionError(f"expected {statuses}: {answer!r}")
    return answer.json()


def new_phone():
    return "139" + "".join(random.choice("0123456789") for _ in range(8))


class Rider:
    def __init__(self, phone=None, password="fault-Test-pass-2026!"):
        self.phone = phone or new_phone()
        self.password = password
        self.token = None
        self.refresh = None
        self._id = None

    def _signed_in(self, tokens):
        self.token, self.refresh = tokens["access_token"], tokens["refresh_token"]
        self._id = tokens["user"]["id"]
        return self

    def register(self):
        body = {"phone": self.phone, "password": self.password, "display_name": "故障测试"}
        return self._signed_in(expect(call("POST", "/api/v1/auth/register", body), 201))

    def login(self):
        body = {"phone": self.phone, "password": self.password}
        return self._signed_in(expect(call("POST", "/api/v1/auth/login", body), 200))

    def user_id(self):
        return self._id


def demo_rider():
    return Rider("13800000001", DEMO_PASSWORD).login()


def help_body(text="故障测试：车胎爆了，需要打气筒"):
    return {"category": "vehicle_breakdown", "urgency": "normal", "description": text,
            "lat": LAT, "lng": LNG}


def nearby():
    return call("GET", f"/api/v1/stations/nearby?lat={LAT}&lng={LNG}&radius_m=3000&limit=10",
                name="nearby")


def lessons():
    return call("GET", "/api/v1/lessons", name="lessons")


def file_help(rider, key=None):
    headers = {"Idempotency-Key": key or str(uuid.uuid4())}
    return call("POST", "/api/v1/help-requests", help_body(), rider.token, headers,
                name="help-file")


def read_help(rider):
    return call("GET", "/api/v1/help-requests", token=rider.token, name="help-read")


def check_in(rider, station_id, code):
    return call("POST", f"/api/v1/stations/{station_id}/check-ins", {"code": code}, rider.token,
                name="checkin")


class Load:
    """Threads that call a mix of rider routes until stopped; the answers are kept."""

    def __init__(self, riders, threads=4, pause=0.02, checkins=()):
        self.riders = riders
        self.checkins = list(checkins)
        self.threads = threads
        self.pause = pause
        self.answers = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._workers = []

    def _work(self, n):
        rnd = random.Random(n)
        while not self._stop.is_set():
            rider = rnd.choice(self.riders)
            pick = rnd.random()
            if pick < 0.5:
                a = nearby()
            elif pick < 0.7:
                a = lessons()
            elif pick < 0.8:
                a = read_help(rider)
            elif pick < 0.9 and self.checkins:
                a = check_in(rider, *rnd.choice(self.checkins))
            else:
                a = file_help(rider)
            with self._lock:
                self.answers.append(a)
            self._stop.wait(self.pause)

    def __enter__(self):
        for n in range(self.threads):
            t = threading.Thread(target=self._work, args=(n,), daemon=True)
            t.start()
            self._workers.append(t)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for t in self._workers:
            t.join(30)

    def since(self, t):
        with self._lock:
            return [a for a in self.answers if a.at >= t]

    def wait_for(self, count, limit=30):
        """Waits until `count` more answers arrived (progress, not a fixed sleep)."""
        with self._lock:
            goal = len(self.answers) + count
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.answers) >= goal:
                    return
            time.sleep(0.05)
        raise AssertionError(f"load made no progress: {goal - len(self.answers)} answers short")
