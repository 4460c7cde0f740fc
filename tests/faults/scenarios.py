"""Issue 13 item 4: what riders see while Redis or PostgreSQL fail under them. Each scenario
takes the running `World` (servers + riders) and raises AssertionError on the first broken rule.
"""

import socket
import threading
import time
import uuid

from client import (Load, Rider, call, demo_rider, expect, file_help, lessons, nearby,
                    read_help)
from servers import APP_PORT, port_open, wait_until

# Redis' response timeout (300 ms) plus database time on a loaded 2-core machine.
PAUSED_BOUND = 1.5
OK = range(200, 300)
# WARMNEW_DB_ACQUIRE_TIMEOUT_MS for the run (the default is 5 s): also proves it is honoured.
ACQUIRE_TIMEOUT = 2.0


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print(f"  ok: {what}")


def no_5xx(answers, what):
    bad = [a for a in answers if a.status >= 500 or a.status == 0]
    check(not bad, f"{what}: {len(answers)} answers, none 5xx or dropped {bad[:3]}")


def all_served(answers, what):
    # A check-in may meet its own per-rider limit under this load; that is a rule, not a fault.
    bad = [a for a in answers
           if a.status not in OK and not (a.name == "checkin" and a.status == 429)]
    check(answers and not bad, f"{what}: {len(answers)} answers, all served {bad[:3]}")


def rider_routes_work(rider, what):
    for a in (nearby(), lessons(), file_help(rider), read_help(rider)):
        if a.status not in OK:
            raise AssertionError(f"{what}: {a!r}")
    print(f"  ok: {what}: nearby, lessons, help filing and reading answered")


def cache_health(world):
    return world.app.readyz()[1].get("cache")


def _wrong_logins(rider, n):
    wrong = {"phone": rider.phone, "password": "not-the-password-123"}
    return [call("POST", "/api/v1/auth/login", wrong).status for _ in range(n)]


def redis_stopped(world):
    victim = world.riders[-1]
    got = _wrong_logins(victim, 3)
    check(got == [401] * 3, f"3 wrong logins with Redis up: {got}")
    with Load(world.riders, checkins=world.checkins) as load:
        load.wait_for(20)
        t0 = time.monotonic()
        world.redis.stop()
        wait_until(lambda: cache_health(world) == "degraded", 5, "readyz to say degraded")
        status, body = world.app.readyz()
        check(status == 200 and body["status"] == "ready",
              f"/readyz with Redis down is still ready, cache degraded ({body})")
        rider_routes_work(world.riders[0], "Redis down")
        load.wait_for(60)
        no_5xx(load.since(t0), "load with Redis down")
        all_served(load.since(t0), "load with Redis down")
    # Never fail open: the count goes on where Redis left it (limit 5 per phone).
    got = _wrong_logins(victim, 3)
    check(got == [401, 401, 429], f"3 more wrong logins with Redis down: {got}")
    fresh = _wrong_logins(world.riders[-2], 6)
    check(fresh == [401] * 5 + [429], f"6 wrong logins for another phone, Redis down: {fresh}")
    back = time.monotonic()
    world.redis.start()
    wait_until(lambda: cache_health(world) == "ok", 5, "readyz cache ok after Redis is back")
    print(f"  ok: reconnected {time.monotonic() - back:.2f}s after Redis came back")
    got = _wrong_logins(victim, 1)
    check(got == [429], f"Redis came back empty, the phone is still limited: {got}")
    rider_routes_work(world.riders[0], "Redis back")


def _paused_window(world, pause, resume, what):
    rider = world.riders[1]
    with Load(world.riders, checkins=world.checkins) as load:
        load.wait_for(20)
        t0 = time.monotonic()
        pause()
        try:
            single = []
            until = time.monotonic() + 3
            while time.monotonic() < until:
                # A login counts in Redis first (the limit), then clears the count.
                login = {"phone": rider.phone, "password": rider.password}
                single += [nearby(), lessons(), file_help(rider), read_help(rider),
                           call("GET", "/api/v1/me", token=rider.token, name="me"),
                           call("POST", "/api/v1/auth/login", login, name="login")]
        finally:
            resume()
        t1 = time.monotonic()
        during = [a for a in load.since(t0) if a.at <= t1] + single
        slow = sorted((a for a in during if a.elapsed >= PAUSED_BOUND), key=lambda a: -a.elapsed)
        check(not slow, f"{what}: {len(during)} requests each under {PAUSED_BOUND}s "
              f"(slowest {max(a.elapsed for a in during):.2f}s) {slow[:3]}")
        no_5xx(during, what)
        all_served(single, f"{what}, one rider's calls")
    wait_until(lambda: cache_health(world) == "ok", 5, f"readyz cache ok after {what}")


def redis_paused(world):
    _paused_window(world, lambda: world.redis.cli("CLIENT", "PAUSE", "3000", "ALL"),
                   lambda: world.redis.cli("CLIENT", "UNPAUSE"), "Redis CLIENT PAUSE")
    _paused_window(world, world.redis.pause, world.redis.resume, "Redis SIGSTOP")


def redis_flushed(world):
    rider = world.riders[2]
    key = str(uuid.uuid4())
    mine = f"SELECT count(*) FROM help_requests WHERE rider_id = '{rider.user_id()}'"
    before = int(world.pg.sql(mine)[0][0])
    first = expect(file_help(rider, key), 201)
    points = demo_rider()
    balance = expect(call("GET", "/api/v1/me/points", token=points.token), 200)["balance"]
    spent = Rider().register()
    refresh = spent.refresh
    got = _wrong_logins(spent, 6)
    check(got[-1] == 429, f"6 wrong logins before the flush: {got}")
    expect(call("POST", "/api/v1/auth/logout", {"refresh_token": refresh}), 204)
    check(world.redis.cli("FLUSHALL") == "OK", "Redis flushed")
    got = _wrong_logins(spent, 1)
    check(got == [429], f"a phone limited before the flush still is: {got}")
    expect(call("GET", "/api/v1/me", token=rider.token), 200)
    print("  ok: an access token still works after the flush")
    again = call("POST", "/api/v1/auth/refresh", {"refresh_token": refresh})
    check(again.status == 401, f"a logged-out refresh token stays refused ({again.status})")
    replay = expect(file_help(rider, key), 200, 201)
    check(replay["id"] == first["id"],
          "the same Idempotency-Key after the flush answers the same help request")
    count = int(world.pg.sql(mine)[0][0])
    check(count == before + 1, f"one help request for the key ({before} before, {count} after)")
    after = expect(call("GET", "/api/v1/me/points", token=points.token), 200)["balance"]
    check(after == balance, f"points unchanged by the flush ({balance} → {after})")
    ledger_invariant(world)


def ledger_invariant(world):
    rows = world.pg.sql(
        "SELECT count(*) FILTER (WHERE s < 0), count(*) FROM "
        "(SELECT rider_id, sum(delta) s FROM points_ledger GROUP BY rider_id) t")
    negative, riders = int(rows[0][0]), int(rows[0][1])
    check(negative == 0 and riders > 0, f"ledger: {riders} riders, no negative balance")
    for r in world.riders + [demo_rider()]:
        api = expect(call("GET", "/api/v1/me/points", token=r.token), 200)["balance"]
        sql = world.pg.sql("SELECT coalesce(sum(l.delta), 0) FROM points_ledger l JOIN users u "
                           f"ON u.id = l.rider_id WHERE u.id = '{r.user_id()}'")
        if int(sql[0][0]) != api:
            raise AssertionError(f"balance {api} != ledger sum {sql[0][0]} for a rider")
    print("  ok: every rider's balance is the sum of their ledger deltas")


def no_half_written_help(world):
    orphans = world.pg.sql(
        "SELECT count(*) FROM help_requests h WHERE NOT EXISTS (SELECT 1 FROM help_events e "
        "WHERE e.request_id = h.id AND e.kind = 'submitted')")
    total = world.pg.sql("SELECT count(*) FROM help_requests")
    check(orphans == [["0"]],
          f"every one of {total[0][0]} help requests has its first timeline event")
    keys = world.pg.sql("SELECT count(*) FROM help_events e WHERE NOT EXISTS "
                        "(SELECT 1 FROM help_requests h WHERE h.id = e.request_id)")
    check(keys == [["0"]], "no timeline event without its help request")


def _kill_backends(world, seconds):
    """Ends the app's PostgreSQL sessions over and over, as a failover or an admin would: the
    statements in flight get 57P01 mid-query, mid-transaction."""
    until = time.monotonic() + seconds
    killed = 0
    while time.monotonic() < until:
        rows = world.pg.sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = 'warmnew' AND pid <> pg_backend_pid() "
                            "AND backend_type = 'client backend'")
        killed += int(rows[0][0])
    return killed


def _judge_outage(answers, what):
    bad = [a for a in answers if a.status not in OK and not a.problem_ok
           and not (a.name == "checkin" and a.status == 429)]
    n503 = sum(1 for a in answers if a.status == 503)
    check(not bad, f"{what}: {len(answers)} answers, {n503} × 503 problem+json with "
          f"Retry-After, nothing else failed {bad[:3]}")
    return n503


def postgres_restarted(world):
    with Load(world.riders, threads=4, checkins=world.checkins) as load:
        load.wait_for(30)
        t0 = time.monotonic()
        killed = _kill_backends(world, 4)
        _judge_outage(load.since(t0), f"{killed} sessions killed under load")
        rider_routes_work(world.riders[0], "after the killed sessions")
        load.wait_for(20)
        t0 = time.monotonic()
        world.pg.stop(mode="immediate")
        load.wait_for(30, limit=60)
        status, body = world.app.readyz()
        check(status == 503 and body.get("database") == "down",
              f"/readyz says the database is down ({status} {body})")
        world.pg.start()
        up = time.monotonic()
        during = [a for a in load.since(t0) if a.at <= up]
        n503 = _judge_outage(during, "PostgreSQL down")
        check(n503 > 0, "the outage was seen (some 503s)")
        slowest = max(a.elapsed for a in during)
        check(slowest < ACQUIRE_TIMEOUT + 1.5,
              f"503s come at the pool acquire timeout ({ACQUIRE_TIMEOUT}s): slowest {slowest:.2f}s")
        rider = world.riders[0]

        def healthy():
            return all(a.status in OK for a in (nearby(), lessons(), read_help(rider),
                                                file_help(rider)))

        wait_until(healthy, 10, "full success within 10 s after PostgreSQL is back")
        print(f"  ok: full success {time.monotonic() - up:.2f}s after PostgreSQL came back")
        t1 = time.monotonic()
        load.wait_for(60)
        all_served(load.since(t1), "load after PostgreSQL is back")
    ledger_invariant(world)
    no_half_written_help(world)


def sigterm_in_flight(world):
    """A login whose body is still arriving when SIGTERM comes completes, then the process
    exits 0."""
    rider = world.riders[0]
    body = f'{{"phone":"{rider.phone}","password":"{rider.password}"}}'.encode()
    head = (f"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            f"application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    sock = socket.create_connection(("127.0.0.1", APP_PORT), timeout=20)
    reply = []
    try:
        _slow_login(world, sock, head.encode(), body, reply)
    finally:
        sock.close()
    status_line = (reply[0] if reply else b"").split(b"\r\n", 1)[0]
    check(status_line.startswith(b"HTTP/1.1 200"),
          f"the in-flight login completed: {status_line!r}")
    code = world.app.proc.wait(40)
    world.app.proc = None
    check(code == 0, f"warmnew exited {code} after SIGTERM")


def _slow_login(world, sock, head, body, reply):
    try:
        sock.sendall(head + body[:10])
        # Only once the server has read those bytes is the request in flight (not waiting in
        # the accept queue, which closing the listener resets).
        mine = sock.getsockname()[1]
        wait_until(lambda: _server_unread(mine) == 0, 10, "the server to read the request")
        world.app.terminate()
        # The listener closing shows the shutdown has begun; the request is still mid-body.
        wait_until(lambda: not port_open(APP_PORT), 20, "the listener to close after SIGTERM")
        sock.sendall(body[10:])
        reader = threading.Thread(target=lambda: reply.append(_read_all(sock)))
        reader.start()
        reader.join(20)
    except OSError as e:
        raise AssertionError(f"the in-flight login was cut off: {e}") from e


def _server_unread(client_port):
    """Bytes the server side of our connection has not read yet (from /proc/net/tcp)."""
    local = f"0100007F:{APP_PORT:04X}"
    remote = f"0100007F:{client_port:04X}"
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            cols = line.split()
            if cols[1] == local and cols[2] == remote:
                return int(cols[4].split(":")[1], 16)
    return None


def _read_all(sock):
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


ALL = [redis_stopped, redis_paused, redis_flushed, postgres_restarted, sigterm_in_flight]
