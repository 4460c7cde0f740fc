"""Fault tests (issue 13 item 4): the real binary against its own Redis and PostgreSQL, which the
scenarios stop, pause, flush and restart under load.

Usage: run.py path/to/warmnew [scenario ...]
Starts redis-server on 127.0.0.1:16390, a PostgreSQL cluster on 127.0.0.1:15433 (data under
target/faults/pg, run as the postgres user) and warmnew on 127.0.0.1:18090; all are stopped at
the end, also when a scenario fails. Standard library only.
"""

import atexit
import os
import shutil
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import scenarios  # noqa: E402
import servers  # noqa: E402
from client import Rider  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.dirname(HERE)), "target", "faults")
RIDERS = 6


class World:
    def __init__(self, binary):
        servers.stop_leftovers(ROOT)
        shutil.rmtree(ROOT, ignore_errors=True)
        os.makedirs(ROOT)
        self.redis = servers.Redis(ROOT)
        self.pg = servers.Postgres(ROOT)
        self.app = servers.Warmnew(
            binary, ROOT,
            # The load files many help requests and checks in often, all from one address;
            # those limits have their own tests.
            WARMNEW_HELP__MAX_REQUESTS_PER_RIDER_PER_HOUR="100000",
            WARMNEW_AUTH__LOGIN_MAX_ATTEMPTS_PER_IP="100000",
            WARMNEW_LIMITS__HELP_REQUESTS_PER_HOUR="100000",
            WARMNEW_LIMITS__CHECK_INS_PER_HOUR="100000",
            WARMNEW_LIMITS__REGISTER_PER_HOUR="100000",
            WARMNEW_DB_ACQUIRE_TIMEOUT_MS=str(int(scenarios.ACQUIRE_TIMEOUT * 1000)),
        )
        self.riders = []
        self.checkins = []

    def start(self):
        self.pg.init()
        self.pg.start()
        self.pg.sql("CREATE DATABASE warmnew", db="postgres")
        self.redis.start()
        self.app.start(self.pg.url, f"redis://127.0.0.1:{servers.REDIS_PORT}")
        self.riders = [Rider().register() for _ in range(RIDERS)]
        rows = self.pg.sql("SELECT id, checkin_code FROM stations WHERE status = 'open' "
                           "ORDER BY id LIMIT 40")
        self.checkins = [(r[0], r[1]) for r in rows]


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    binary = os.path.abspath(argv[1])
    missing = servers.binaries_missing()
    if missing:
        raise SystemExit(f"FAILED: fault tests need {', '.join(missing)}")
    wanted = argv[2:]
    atexit.register(servers.stop_all)
    # A SIGTERM (CI cancelling) must still run the cleanup.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    world = World(binary)
    failed = []
    started = time.monotonic()
    try:
        world.start()
        print(f"servers up in {time.monotonic() - started:.1f}s")
        for scenario in scenarios.ALL:
            if wanted and scenario.__name__ not in wanted:
                continue
            t = time.monotonic()
            print(f"scenario {scenario.__name__}")
            try:
                scenario(world)
                print(f"  passed in {time.monotonic() - t:.1f}s")
            except AssertionError as e:
                print(f"  FAILED: {e}")
                failed.append(scenario.__name__)
                # Later scenarios assume healthy servers: bring back what a failure left down.
                heal(world)
    finally:
        servers.stop_all()
    print(f"fault run: {time.monotonic() - started:.1f}s")
    if failed:
        print(f"see {world.app.data}/server.log")
        raise SystemExit(f"FAILED fault scenarios: {', '.join(failed)}")
    print("all fault scenarios passed")


def heal(world):
    try:
        if world.redis.proc is None:
            world.redis.start()
        else:
            world.redis.resume()
            world.redis.cli("CLIENT", "UNPAUSE")
        if not servers.port_open(servers.PG_PORT):
            world.pg.start()
    except Exception as e:  # noqa: BLE001 - the next scenario reports what is still broken
        print(f"  could not restore the servers: {e}")


if __name__ == "__main__":
    main(sys.argv)
