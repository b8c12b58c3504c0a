#!/usr/bin/env python3
"""The lab's webhook sink: where notification Providers post. Every POST is appended to a JSON-lines file
(path, headers that say what sent it, body) and answered 200; `GET /received` lists what arrived.

Usage: sink.py --port PORT --out FILE. Binds 127.0.0.1 only.
"""

import argparse
import http.server
import json
import sys
import threading

KEPT_HEADERS = ("Content-Type", "User-Agent", "Gotk-Component")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lab-sink/1"

    def log_message(self, fmt, *args):
        sys.stderr.write(f"{self.address_string()} {fmt % args}\n")
        sys.stderr.flush()

    def _answer(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        headers = {k: self.headers[k] for k in KEPT_HEADERS if self.headers.get(k)}
        line = json.dumps({"path": self.path, "headers": headers, "body": body}, sort_keys=True)
        with self.server.lock, open(self.server.out, "a") as out:
            out.write(line + "\n")
        self._answer(200, b"{}")

    def do_GET(self):
        if self.path != "/received":
            self._answer(404, b'{"error": "not found"}')
            return
        with self.server.lock:
            try:
                with open(self.server.out) as f:
                    lines = [json.loads(x) for x in f if x.strip()]
            except FileNotFoundError:
                lines = []
        self._answer(200, json.dumps(lines).encode())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.out = a.out
    srv.lock = threading.Lock()
    srv.serve_forever()


if __name__ == "__main__":
    main()
