"""Schemathesis hooks for tests/contract (SCHEMATHESIS_HOOKS=hooks; run.py sets the environment).

- `other_party_denied`: a read of one party's object, answered 2xx, is replayed as the parties
  that must not see it (the other rider; staff of another district) and must get 403 or 404.
  schemathesis's own `object_level_authorization` compares the two riders by equivalent bodies;
  this check names the rule per route and also covers staff, who legitimately read riders'
  requests in their own district.
- Reads of those routes also draw the ids of objects run.py made, so they reach real objects.
DELETE /me and logout-all are fuzzed in runs of their own (run.py, SESSION_ENDING).
"""

import json
import os
import threading

import schemathesis
from hypothesis import strategies as st
from schemathesis.specs.openapi._auth_retry import send_probe

FIXTURES = json.loads(open(os.environ["CONTRACT_FIXTURES"], encoding="utf-8").read())
TOKENS = FIXTURES["tokens"]
STAFF_REGIONS = FIXTURES["staff_regions"]
RIDERS = ("rider_a", "rider_b")
DENIED = (403, 404)

HELP = "/api/v1/help-requests/{id}"
STATION_SCOPED = (
    "/api/v1/stations/{id}/checkin-code",
    "/api/v1/stations/{id}/poster",
    "/api/v1/stations/{id}/summary",
    "/api/v1/stations/{id}/service-logs",
)
KNOWN_IDS = {HELP: FIXTURES["help_ids"], **{p: [FIXTURES["station_id"]] for p in STATION_SCOPED}}


def _bearer_of(token):
    return f"Bearer {token}"


@schemathesis.hook
def before_generate_path_parameters(context, strategy):
    op = context.operation
    ids = KNOWN_IDS.get(op.path) if op is not None and op.method.upper() == "GET" else None
    if not ids:
        return strategy
    known = strategy.flatmap(
        lambda params: st.sampled_from(ids).map(lambda i: {**params, "id": i})
        if isinstance(params, dict)
        else st.just(params)
    )
    return st.one_of(strategy, known)


def _within(region, code):
    return isinstance(code, str) and code.startswith(region)


def _json(response):
    try:
        return response.json()
    except ValueError:
        return None


def _denied_for(case, response):
    """Who must not read what `case` read: (identity, reason) pairs."""
    reader = case.auth_identity
    body = _json(response) or {}
    path = case.operation.path
    if path == HELP:
        denied = [(r, "another rider's request") for r in RIDERS if reader in RIDERS and r != reader]
        region = body.get("region_code") if isinstance(body, dict) else None
        if region:
            denied += [
                (s, f"a request in {region}, outside the staff's district")
                for s, code in STAFF_REGIONS.items()
                if not _within(code, region)
            ]
        return denied
    if path in STATION_SCOPED:
        denied = [(r, "a station's own data") for r in RIDERS]
        region = FIXTURES["station_regions"].get(str(case.path_parameters.get("id")))
        if region:
            denied += [
                (s, f"a station in {region}, outside the staff's district")
                for s, code in STAFF_REGIONS.items()
                if not _within(code, region)
            ]
        return denied
    return []


def _replay_as(ctx, case, identity):
    probe = case.derive()
    for name in [n for n in probe.headers if n.lower() == "authorization"]:
        del probe.headers[name]
    probe.headers["Authorization"] = _bearer_of(TOKENS[identity])
    return send_probe(ctx, case, probe)


@schemathesis.check
class other_party_denied:
    """Another party's read of an object that one party could read is 403/404."""

    def __init__(self):
        self.lock = threading.Lock()
        self.replayed = set()
        self.tested = False

    def after_response(self, ctx, response, case):
        if case.operation.path in KNOWN_IDS:
            with self.lock:
                self.tested = True
        if case.method.upper() != "GET" or not 200 <= response.status_code < 300:
            return None
        for identity, reason in _denied_for(case, response):
            if identity == case.auth_identity:
                continue
            answer = _replay_as(ctx, case, identity)
            with self.lock:
                self.replayed.add((case.operation.path, identity))
            if answer.status_code not in DENIED:
                raise AssertionError(
                    f"{identity} read {reason}: {case.method} {case.formatted_path} "
                    f"as {case.auth_identity} -> {response.status_code}, as {identity} -> {answer.status_code}"
                )
        return None

    def after_run(self, ctx):
        # The check proves nothing if no read ever succeeded: each kind of party must have been
        # tried (in a run that had those routes at all).
        if not self.tested:
            return
        tried = {identity for _, identity in self.replayed}
        missing = [who for who in (*RIDERS, *STAFF_REGIONS) if who not in tried]
        paths = {path for path, _ in self.replayed}
        if missing or HELP not in paths:
            raise AssertionError(
                f"other-party replays never ran for {missing or 'help requests'}; tried {sorted(self.replayed)}"
            )
