"""Open-loop HTTP/1.1 load at a fixed rate (stdlib asyncio). Request i is due at start + i/rate
whether or not earlier ones have answered, and its latency is measured from that due time, so
a server that slows down shows as latency (and a growing connection count), never as less load.
"""
import asyncio, collections, json, math

IDLE_MAX_S = 3.0  # actix closes keep-alive connections idle for 5 s: never reuse one near that
TIMEOUT_S = 10.0


class Pool:
    """Keep-alive connections, most recently used first; opens more only when all are busy."""

    def __init__(self, host, port, limit):
        self.host, self.port, self.limit = host, port, limit
        self.idle, self.open, self.peak = [], 0, 0
        self.waiters = collections.deque()

    async def acquire(self):
        loop = asyncio.get_running_loop()
        while self.idle:
            r, w, used = self.idle.pop()
            if loop.time() - used < IDLE_MAX_S:
                return r, w, True
            self._close(w)
        if self.open >= self.limit:
            fut = loop.create_future()
            self.waiters.append(fut)
            got = await fut
            if got is not None:
                return got
        return await self._connect()

    async def _connect(self):
        self.open += 1
        self.peak = max(self.peak, self.open)
        try:
            r, w = await asyncio.open_connection(self.host, self.port)
        except OSError:
            self.open -= 1
            self._wake()
            raise
        return r, w, False

    def release(self, r, w, reusable):
        if not reusable:
            self._close(w)
            self._wake()
        elif (fut := self._waiter()) is not None:
            fut.set_result((r, w, True))
        else:
            self.idle.append((r, w, asyncio.get_running_loop().time()))

    def _close(self, w):
        w.close()
        self.open -= 1

    def _wake(self):
        # A slot freed up: the oldest waiter opens a connection of its own.
        if (fut := self._waiter()) is not None:
            fut.set_result(None)

    def _waiter(self):
        # Waiters that timed out are cancelled futures: skip them.
        while self.waiters:
            fut = self.waiters.popleft()
            if not fut.done():
                return fut
        return None


async def exchange(r, w, method, path, body, headers, host):
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Accept: application/json"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    data = b"" if body is None else json.dumps(body).encode()
    if body is not None:
        head += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    w.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
    await w.drain()
    line = await r.readline()
    if not line:
        raise ConnectionResetError("closed before the status line")
    status = int(line.split()[1])
    length, chunked, close = 0, False, False
    while True:
        h = await r.readline()
        if h in (b"\r\n", b"\n", b""):
            break
        k, _, v = h.decode("latin-1").partition(":")
        k, v = k.strip().lower(), v.strip().lower()
        if k == "content-length":
            length = int(v)
        elif k == "transfer-encoding" and "chunked" in v:
            chunked = True
        elif k == "connection" and v == "close":
            close = True
    if chunked:
        parts = []
        while True:
            size = int((await r.readline()).split(b";")[0], 16)
            parts.append(await r.readexactly(size + 2))
            if size == 0:
                break
        payload = b"".join(p[:-2] for p in parts)
    else:
        payload = await r.readexactly(length) if length else b""
    return status, payload, not close


class Stats:
    """Per-minute (by due time) counts by kind and status, latencies, and the generator's lag."""

    def __init__(self):
        self.minutes = collections.defaultdict(lambda: {"lat": [], "status": collections.Counter(), "kinds": collections.Counter(), "lag": [], "order": []})
        self.retried = 0
        self.created_help = set()

    def add(self, minute, kind, status, latency_s):
        m = self.minutes[minute]
        m["lat"].append(latency_s * 1000)
        m["order"].append((kind, status))
        m["status"][f"{kind} {status}"] += 1
        m["kinds"][kind] += 1


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


async def one(pool, host, stats, minute, due, job):
    kind, method, path, body, headers = job
    loop = asyncio.get_running_loop()
    status = "error"
    for attempt in range(2):
        try:
            r, w, reused = await asyncio.wait_for(pool.acquire(), TIMEOUT_S)
        except (OSError, asyncio.TimeoutError):
            status = "connect_error"
            break
        try:
            code, payload, keep = await asyncio.wait_for(exchange(r, w, method, path, body, headers, host), TIMEOUT_S)
        except asyncio.TimeoutError:
            pool.release(r, w, False)
            status = "timeout"
            break
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            pool.release(r, w, False)
            # A reused connection the server closed while idle never saw the request: send it
            # once more on a fresh one. Anything else is an error.
            if reused and attempt == 0:
                stats.retried += 1
                continue
            status = "io_error"
            break
        pool.release(r, w, keep)
        status = code
        if kind == "help" and code in (200, 201):
            stats.created_help.add(json.loads(payload)["id"])
        break
    stats.add(minute, kind, status, loop.time() - due)


async def run(host, port, rate, duration_s, pick, stats, start, origin, conn_limit=512):
    """Sends rate*duration_s requests, request i due at `start` + i/rate (loop clock); minutes
    count from `origin` (a warm-up before it lands in negative minutes)."""
    loop = asyncio.get_running_loop()
    pool = Pool(host, port, conn_limit)
    hostport = f"{host}:{port}"
    tasks = set()
    for i in range(int(rate * duration_s)):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        minute = math.floor((due - origin) / 60)
        stats.minutes[minute]["lag"].append((loop.time() - due) * 1000)
        t = asyncio.create_task(one(pool, hostport, stats, minute, due, pick()))
        tasks.add(t)
        t.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.gather(*tasks)
    for r, w, _ in pool.idle:
        w.close()
    return pool.peak
