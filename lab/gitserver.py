#!/usr/bin/env python3
"""Minimal Git smart-HTTP server for the lab: Debian's `git http-backend` as CGI.

Usage: gitserver.py --root DIR --port PORT [--private NAME.git ...]

Serves every bare repository under DIR (GIT_HTTP_EXPORT_ALL). Repositories
named with --private always answer 401 (Basic auth challenge, no credential is
ever accepted) so a GitRepository pointing there fails authentication.
Binds 127.0.0.1 only.
"""

import argparse
import http.server
import os
import subprocess
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lab-git/1"

    def log_message(self, fmt, *args):
        sys.stderr.write(f"{self.address_string()} {fmt % args}\n")
        sys.stderr.flush()

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, code, headers, body):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self):
        body = self._body() if self.command == "POST" else b""
        path, _, query = self.path.partition("?")
        repo = path.lstrip("/").split("/", 1)[0]
        if repo in self.server.private:
            self._send(
                401,
                [("WWW-Authenticate", 'Basic realm="lab-private"'), ("Content-Type", "text/plain")],
                b"authentication required\n",
            )
            return
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": self.server.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_USER": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "GATEWAY_INTERFACE": "CGI/1.1",
        }
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        proc = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
        if proc.stderr:
            sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        out = proc.stdout
        sep = out.find(b"\r\n\r\n")
        seplen = 4
        if sep < 0 or (out.find(b"\n\n") >= 0 and out.find(b"\n\n") < sep):
            sep, seplen = out.find(b"\n\n"), 2
        if sep < 0:
            self._send(500, [("Content-Type", "text/plain")], b"bad CGI response\n")
            return
        code, headers = 200, []
        for line in out[:sep].decode("latin-1").splitlines():
            k, _, v = line.partition(":")
            if k.lower() == "status":
                code = int(v.strip().split()[0])
            elif k:
                headers.append((k.strip(), v.strip()))
        self._send(code, headers, out[sep + seplen :])

    do_GET = do_POST = do_HEAD = _handle


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--private", action="append", default=[])
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.root = os.path.abspath(a.root)
    srv.private = set(a.private)
    srv.serve_forever()


if __name__ == "__main__":
    main()
