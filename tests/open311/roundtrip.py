"""Open311 round trip with stock GeoReport v2 clients from PyPI against the real binary.

`georeport` (Python 3 as published) lists the services, reads a service definition and reads
requests back, as JSON and as XML. It has no call to file a request, so filing uses `three`,
the client that posts the spec's form fields (api_key, name, phone, address_string, media).
Usage: roundtrip.py path/to/warmnew
"""

import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

# `three` 0.8 was written for Python 2; itertools.ifilter is its only blocker on Python 3.
itertools.ifilter = filter

import three  # noqa: E402
from georeport import GeoReport  # noqa: E402

KEY = "roundtrip-hotline-key-0123456789"
CALLER_PHONE = "13800138000"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base, server, limit=90):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"warmnew exited with {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("warmnew did not become ready")


def check(cond, what):
    if not cond:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok: {what}")


def main(binary):
    data = tempfile.mkdtemp(prefix="warmnew-open311-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        WARMNEW_DATA_DIR=data,
        WARMNEW_BIND=f"127.0.0.1:{port}",
        WARMNEW_DEMO_DATA="true",
        WARMNEW_OPEN311_API_KEYS=json.dumps([KEY]),
        WARMNEW_LOG_FORMAT="json",
        RUST_LOG="warn",
    )
    log = open(os.path.join(data, "server.log"), "w")
    server = subprocess.Popen([binary, "serve"], env=env, cwd=data, stdout=log, stderr=log)
    try:
        wait_ready(base, server)
        endpoint = base + "/open311/v2"

        reader = GeoReport(endpoint)
        services = reader.get_service_list()
        codes = [s["service_code"] for s in services]
        check("hazard_report" in codes and len(codes) == 13, f"georeport lists {len(codes)} services")
        definition = reader.get_service_definition("hazard_report")
        check(definition == {"service_code": "hazard_report", "attributes": []}, "georeport reads a service definition")

        # A city hotline files for a caller with its key, as `three` posts: form fields, the
        # caller's name split into first/last, a photo as multipart.
        hotline = three.Three(endpoint, api_key=KEY)
        with tempfile.NamedTemporaryFile(suffix=".png") as photo:
            photo.write(b"\x89PNG\r\n\x1a\n" + bytes(64))
            photo.flush()
            photo.seek(0)
            created = hotline.post(
                "hazard_report",
                address="上海市黄浦区人民广场",
                name="Wang Xiaoming",
                phone=CALLER_PHONE,
                description="人民广场东侧井盖缺失（热线来电）",
                lat="31.2304",
                long="121.4737",
                media=photo,
            )
        check(hotline.post_response.status_code == 201, f"three files with the api_key ({hotline.post_response.status_code})")
        request_id = created[0]["service_request_id"]
        check(created[0].get("service_notice"), "the answer carries a service notice")

        keyed = hotline.request(request_id, api_key=KEY)
        check(keyed[0]["service_code"] == "hazard_report", "three reads it back with the key")
        check(keyed[0]["status"] == "open", "it is open")

        # Hazard reports are public: georeport reads them without a key, as JSON and XML.
        public = reader.get_service_request(request_id)
        check(public["service_request_id"] == request_id, "georeport reads it back without a key")
        check(CALLER_PHONE not in json.dumps(public, ensure_ascii=False), "no caller contact in what it reads")
        as_xml = GeoReport(endpoint, output_format="xml").get_service_requests(service_request_id=request_id)
        as_xml = as_xml if isinstance(as_xml, dict) else as_xml[0]
        check(as_xml["service_request_id"] == request_id, "georeport reads it as XML")
        listed = reader.get_service_requests(service_code="hazard_report")
        check(request_id in [r["service_request_id"] for r in listed], "it is in the public list")

        # The spec's error shape.
        try:
            reader.get_service_definition("no_such_service")
            check(False, "an unknown service is an error")
        except Exception as e:  # georeport raises requests' HTTPError
            body = e.response.json()
            check(e.response.status_code == 404 and body[0]["code"] == 404, "errors are [{code, description}]")
        print("open311 round trip passed")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/debug/warmnew"))
