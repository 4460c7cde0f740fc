"""Soak results: per-minute figures, resource quarters, the checks and their verdict, and the
Markdown table committed beside them."""
import collections, json, os, platform, statistics, subprocess, time

from load import pct

EXPECTED = {"nearby": {200}, "detail": {200}, "help": {200, 201}, "lesson": {200}}
KINDS = ["nearby", "detail", "help", "lesson"]
P99_FACTOR, P99_FLOOR_MS = 1.5, 2.0  # last minutes' p99 ≤ max(1.5 × first, first + 2 ms)
RSS_FACTOR = 1.10  # last-quarter mean RSS ≤ 1.10 × second-quarter mean
FD_SLACK = 8  # last-quarter mean fds ≤ second-quarter mean + max(8, 10 %)
LAG_MS = 50  # the generator keeps to its schedule (a late send counts in the latency too)
CPU_FACTOR = 1.25  # server CPU per request, last minutes vs the first: the neighbours' load cannot move it


def out(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        return ""


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) / 1024 / 1024
    redis = next((l.split(":")[1] for l in out("redis-cli", "INFO", "server").splitlines() if l.startswith("redis_version")), "?")
    pg = out("psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version").split(" ")[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gb": round(mem, 1), "kernel": platform.release(),
            "python": platform.python_version(), "postgresql": pg, "redis": redis.strip()}


def tree(root, binary):
    """The commit and binary under test, read before the run (others commit meanwhile)."""
    return {"commit": out("git", "-C", root, "rev-parse", "--short", "HEAD"),
            "uncommitted_files": len([l for l in out("git", "-C", root, "status", "--porcelain").splitlines() if l]),
            "binary_built_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime(os.path.getmtime(binary)))}


def log_levels(path):
    levels, messages = collections.Counter(), collections.Counter()
    with open(path, errors="replace") as f:
        for line in f:
            try:
                doc = json.loads(line)
            except ValueError:
                levels["not_json"] += 1
                continue
            level = doc.get("level", "?")
            levels[level] += 1
            if level in ("WARN", "ERROR"):
                messages[f"{level} {doc.get('fields', {}).get('message', '')[:100]}"] += 1
    return {"levels": dict(levels), "warn_error_messages": dict(messages.most_common(10))}


def interp(samples, key, t):
    """A sampled value at time t, linear between the two samples around it."""
    before = [s for s in samples if s["t"] <= t]
    after = [s for s in samples if s["t"] >= t]
    if not before or not after:
        return None
    a, b = before[-1], after[0]
    if b["t"] == a["t"]:
        return a[key]
    return a[key] + (b[key] - a[key]) * (t - a["t"]) / (b["t"] - a["t"])


def minute_row(m, d, samples):
    statuses = {k: v for k, v in sorted(d["status"].items())}
    codes = collections.Counter()
    for k, v in d["status"].items():
        s = k.split()[1]
        codes[s[0] + "xx" if s.isdigit() else "errors"] += v
    lat_by_kind = collections.defaultdict(list)
    row = {"minute": m, "requests": sum(d["kinds"].values()), "statuses": statuses,
           "2xx": codes["2xx"], "4xx": codes["4xx"], "5xx": codes["5xx"], "errors": codes["errors"],
           "p50_ms": pct(d["lat"], 50), "p95_ms": pct(d["lat"], 95), "p99_ms": pct(d["lat"], 99), "max_ms": max(d["lat"], default=0),
           "lag_p99_ms": pct(d["lag"], 99), "lag_max_ms": max(d["lag"], default=0)}
    for (kind, _), lat in zip(d["order"], d["lat"]):
        lat_by_kind[kind].append(lat)
    row["p99_by_kind_ms"] = {k: None if not lat_by_kind[k] else round(pct(lat_by_kind[k], 99), 2) for k in KINDS}
    c0, c1 = interp(samples, "cpu_s", 60 * m), interp(samples, "cpu_s", 60 * (m + 1))
    row["server_cpu_ms_per_req"] = None if c0 is None or c1 is None else round((c1 - c0) * 1000 / max(1, row["requests"]), 3)
    loads = [s["load1"] for s in samples if 60 * m <= s["t"] < 60 * (m + 1)]
    row["load1"] = max(loads, default=None)
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}


def quarter_means(samples, duration):
    q = duration / 4
    res = {}
    for i in range(4):
        part = [s for s in samples if i * q <= s["t"] < (i + 1) * q or (i == 3 and s["t"] >= 3 * q)]
        res[f"q{i + 1}"] = {k: round(statistics.mean(s[k] for s in part), 1) if part else None
                           for k in ("rss_mb", "fds", "threads", "pg_conns", "load1")}
    return res


def check(name, bound, value, ok):
    return {"check": name, "bound": bound, "value": value, "pass": bool(ok)}


def build(run, stats, samples, db, root):
    minutes = [minute_row(m, stats.minutes[m], samples) for m in sorted(stats.minutes) if m >= 0]
    warm = [minute_row(m, stats.minutes[m], samples) for m in sorted(stats.minutes) if m < 0]
    everything = warm + minutes
    unexpected = collections.Counter()
    for r in everything:
        for k, v in r["statuses"].items():
            kind, s = k.split()
            if not (s.isdigit() and int(s) in EXPECTED[kind]):
                unexpected[k] += v
    tail = 2 if len(minutes) >= 3 else 1
    last_lat = [x for m in sorted(stats.minutes)[-tail:] for x in stats.minutes[m]["lat"]]
    first, last = minutes[0]["p99_ms"], round(pct(last_lat, 99), 2)
    p99_bound = round(max(P99_FACTOR * first, first + P99_FLOOR_MS), 2)
    quarters = quarter_means(samples, run["duration_s"])
    q2, q4 = quarters["q2"], quarters["q4"]
    fd_bound = round(q2["fds"] + max(FD_SLACK, 0.1 * q2["fds"]), 1)
    lag = max(r["lag_p99_ms"] for r in minutes)
    cpu_last = round(statistics.mean(r["server_cpu_ms_per_req"] or 0 for r in minutes[-tail:]), 3)
    sent = sum(r["requests"] for r in minutes)
    checks = [
        check("no 5xx (warm-up included)", "0", sum(r["5xx"] for r in everything), sum(r["5xx"] for r in everything) == 0),
        check("no timeouts or connection errors", "0", sum(r["errors"] for r in everything), sum(r["errors"] for r in everything) == 0),
        check("only the expected statuses (200; help 200/201)", "none other", dict(unexpected) or 0, not unexpected),
        check(f"p99 of the last {tail} minutes vs the first minute", f"≤ {p99_bound} ms (first {first} ms)", f"{last} ms", last <= p99_bound),
        check("RSS flat: last-quarter mean vs second-quarter mean", f"≤ {round(RSS_FACTOR * q2['rss_mb'], 1)} MB", f"{q4['rss_mb']} MB",
              q4["rss_mb"] <= RSS_FACTOR * q2["rss_mb"]),
        check("open fds flat: last-quarter mean vs second-quarter mean", f"≤ {fd_bound}", q4["fds"], q4["fds"] <= fd_bound),
        check("every filed help request answered, none half-written", f"{db['help_ids_answered']} ids answered",
              f"{db['help_requests_filed']} rows", db["help_requests_filed"] == db["help_ids_answered"]),
        check("one attempt row per answered attempt", f"{sum(r['statuses'].get('lesson 200', 0) for r in everything)} answered",
              f"{db['lesson_attempts']} rows", db["lesson_attempts"] == sum(r["statuses"].get("lesson 200", 0) for r in everything)),
        check(f"server CPU per request, last {tail} minutes vs the first", f"≤ {round(CPU_FACTOR * minutes[0]['server_cpu_ms_per_req'], 3)} ms",
              f"{cpu_last} ms", cpu_last <= CPU_FACTOR * minutes[0]["server_cpu_ms_per_req"]),
        check("generator on schedule (send lateness p99, worst minute)", f"≤ {LAG_MS} ms", f"{lag} ms", lag <= LAG_MS),
        check("fixed rate held", f"{int(run['rate'] * run['duration_s'])} requests", sent, sent == int(run["rate"] * run["duration_s"])),
        check("clean shutdown on SIGTERM", "exit 0", db["exit_code"], db["exit_code"] == 0),
    ]
    return {"date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "machine": machine(),
            **run.pop("tree"),
            "run": run, "verdict": "pass" if all(c["pass"] for c in checks) else "fail", "checks": checks,
            "warmup": warm, "minutes": minutes, "resource_quarters": quarters, "database": db, "samples": samples}


def ms(v):
    return "–" if v is None else f"{v:.1f}"


def markdown(r):
    run, mc = r["run"], r["machine"]
    lines = [
        "# Soak (issue 13)", "",
        f"`python3 bench/soak/soak.py` on {r['date_utc']} UTC, tree at commit {r['commit']} (+{r['uncommitted_files']} uncommitted files "
        f"in the shared tree), release binary built {r['binary_built_utc']} UTC, PostgreSQL {mc['postgresql']} + Redis {mc['redis']} on the same machine "
        f"({mc['cpu']}, {mc['cores']} cores, {mc['mem_gb']} GB), loopback. **{run['rate']:g} req/s, open loop** "
        f"(each request due at its slot; latency counted from the slot), {run['warmup_s']} s warm-up, then "
        f"**{run['duration_s'] // 60} minutes** measured. Mix: nearby 70 % (random points in Shanghai), station detail 15 %, "
        f"help request 10 % (5 % of them SOS), lesson attempt 5 %; {run['stations']} stations (demo data with its 90 days of history, then `warmnew gen`), "
        f"{run['riders']} riders registered through the API, {run['lessons']} lessons. "
        "Limits raised for the soak (every rider comes from 127.0.0.1, and each files ~40 help requests in 10 minutes): "
        + ", ".join(f"`{k}={v}`" for k, v in run["settings"].items() if "PER_HOUR" in k) + ".", "",
        f"**Verdict: {r['verdict']}.**", "",
        "| minute | requests | 2xx | 4xx | 5xx | errors | p50 | p95 | p99 | p99 nearby | p99 detail | p99 help | p99 lesson | server CPU per request | load avg (max) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in r["minutes"]:
        k = m["p99_by_kind_ms"]
        cpu = "–" if m["server_cpu_ms_per_req"] is None else f"{m['server_cpu_ms_per_req']:.2f} ms"
        lines.append(f"| {m['minute'] + 1} | {m['requests']} | {m['2xx']} | {m['4xx']} | {m['5xx']} | {m['errors']} | {ms(m['p50_ms'])} ms | "
                     f"{ms(m['p95_ms'])} ms | {ms(m['p99_ms'])} ms | {ms(k['nearby'])} | {ms(k['detail'])} | {ms(k['help'])} | {ms(k['lesson'])} | "
                     f"{cpu} | {m['load1'] if m['load1'] is not None else '–'} |")
    lines += ["", "Server process, sampled every 10 s from `/proc/<pid>/status` and `/proc/<pid>/fd` (means per quarter of the measured time):", "",
              "| quarter | RSS | open fds | threads | PostgreSQL connections | load avg |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for q, v in r["resource_quarters"].items():
        lines.append(f"| {q} | {v['rss_mb']} MB | {v['fds']} | {v['threads']} | {v['pg_conns']} | {v['load1']} |")
    lines += ["", "| check | bound | result | |", "| --- | --- | --- | --- |"]
    for c in r["checks"]:
        lines.append(f"| {c['check']} | {c['bound']} | {c['value']} | {'met' if c['pass'] else '**failed**'} |")
    db = r["database"]
    lines += ["", f"- peak client connections: {run['peak_connections']}; stale keep-alive connections retried: {run['retried_stale_connections']}; "
              f"load generator CPU: {run['generator_cpu_s']} s",
              f"- server RSS when ready: {run['rss_ready_mb']} MB; after registering the {run['riders']} riders (4 at a time): "
              f"{run['rss_after_registering_mb']} MB", f"- Redis keys under `soak:`: {db['redis_keys_start']} at the start, {db['redis_keys_end']} at the end",
              f"- server log lines by level: {db['log']['levels']}"]
    if db["log"]["warn_error_messages"]:
        lines.append(f"- warnings and errors logged: {db['log']['warn_error_messages']}")
    return "\n".join(lines) + "\n"
