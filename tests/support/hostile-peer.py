#!/usr/bin/env python3
# A hostile "city backend" on 127.0.0.1 for the hardening tests (issue #12).
#
#   hostile-peer.py MODE PORT_FILE [COUNT_FILE]
#
# Listens on 127.0.0.1:0, writes its port to PORT_FILE and serves until
# killed.  Each POST /v1/submissions appends a line "IDEMPOTENCY-KEY
# KIOSK_ID-OF-THE-BODY" to COUNT_FILE.  MODE decides how it answers a POST; MODE+health answers the
# health probe (GET /v1/health) that way too, else the probe gets 200:
#
#   ok               201 {"reference": "REF-<n>"}        (the negative control)
#   slow-ok          ok, after 1 s                       (keeps a request "sending");
#                    while the file PORT_FILE.gate exists (at most 20 s), it
#                    holds the answer, so a test can act on a request in flight
#   deep             201 with 200 KB of "["              (stack overflow in json-glib)
#   deep-422         422 with a problem body of 200 KB of "["
#   trickle-headers  the status line and headers, one byte every 0.2 s, for ever
#   trickle-body     the headers at once, then the body one byte every 0.2 s
#   huge             201, no Content-Length, 400 MB of body (until the client leaves)
#   ctrl-ref         201 with a reference of ESC, BEL, newlines and 5,000 characters
#   redirect         307 to another host
#   silence          reads the request and never answers
#   lookup-array-status, lookup-control-status, lookup-deep
#                    the counter's GET /v1/submissions/ID gets 200 with a
#                    "status" that is an array, has control characters, or
#                    200 KB of "["
#
# SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import socketserver
import sys
import threading
import time

MODE, _, HEALTH = sys.argv[1].partition("+")
PORT_FILE = sys.argv[2]
COUNT_FILE = sys.argv[3] if len(sys.argv) > 3 else None
LOCK = threading.Lock()
COUNT = [0]
STALLING = {"trickle-headers", "trickle-body", "silence"}


def answer(status, reason, body, extra=b""):
    head = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n" % (
        status, reason, len(body), extra)
    return head + body


class Handler(socketserver.BaseRequestHandler):
    def read_request(self):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = self.request.recv(65536)
            if not chunk:
                return None
            body += chunk
        try:
            headers["x-body-kiosk-id"] = json.loads(body).get("kiosk_id", "-")
        except (ValueError, AttributeError):
            headers["x-body-kiosk-id"] = "-"
        return method, path, headers

    def handle(self):
        try:
            while True:
                req = self.read_request()
                if req is None:
                    return
                method, path, headers = req
                post = method == "POST" and path == "/v1/submissions"
                if post:
                    with LOCK:
                        COUNT[0] += 1
                        n = COUNT[0]
                        if COUNT_FILE:
                            with open(COUNT_FILE, "a") as f:
                                f.write("%s %s\n" % (headers.get("idempotency-key", "-"),
                                                      headers["x-body-kiosk-id"]))
                if method == "GET" and path.startswith("/v1/submissions/") and MODE.startswith("lookup-"):
                    status = {"lookup-array-status": [[1], 2], "lookup-control-status": "\x1b[31mred\x07",
                              "lookup-deep": None}[MODE]
                    body = b"[" * 200000 if MODE == "lookup-deep" else json.dumps({"status": status}).encode()
                    self.request.sendall(answer(200, b"OK", body))
                    continue
                if not post and HEALTH != "health":
                    self.request.sendall(answer(200, b"OK", b'{"status": "ok"}'))
                    continue
                self.serve(n if post else 0)
                if MODE in STALLING or MODE == "huge":
                    return
        except (BrokenPipeError, ConnectionResetError):
            return

    def serve(self, n):
        s = self.request
        if MODE in ("ok", "slow-ok"):
            if MODE == "slow-ok":
                time.sleep(1.0)
                held = 0.0
                while os.path.exists(PORT_FILE + ".gate") and held < 20.0:
                    time.sleep(0.05)
                    held += 0.05
            s.sendall(answer(201, b"Created", json.dumps({"reference": "REF-%d" % n}).encode()))
        elif MODE == "deep":
            s.sendall(answer(201, b"Created", b"[" * 200000))
        elif MODE == "deep-422":
            s.sendall(answer(422, b"Unprocessable Entity", b'{"message": ' + b"[" * 200000))
        elif MODE == "trickle-headers":
            for b in answer(201, b"Created", b'{"reference": "SLOW"}') * 1000:
                s.sendall(bytes([b]))
                time.sleep(0.2)
        elif MODE == "trickle-body":
            body = b'{"reference": "SLOW"}' + b" " * 100000
            s.sendall(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                      % len(body))
            for b in body:
                s.sendall(bytes([b]))
                time.sleep(0.2)
        elif MODE == "huge":
            s.sendall(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                      b'{"reference": "HUGE", "pad": "')
            block = b"x" * 65536
            for _ in range(400 * 16):
                s.sendall(block)
        elif MODE == "ctrl-ref":
            ref = "\x1b[2J\x07EVIL\nsecond line\r" + "A" * 5000
            s.sendall(answer(201, b"Created", json.dumps({"reference": ref}).encode()))
        elif MODE == "redirect":
            s.sendall(b"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://192.0.2.1/v1/submissions\r\n"
                      b"Content-Length: 0\r\n\r\n")
        elif MODE == "silence":
            time.sleep(3600)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


server = Server(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
