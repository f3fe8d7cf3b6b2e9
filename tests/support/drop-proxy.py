#!/usr/bin/env python3
# drop-proxy.py: a TCP proxy on 127.0.0.1 that breaks connections, for the
# hub's exactly-once tests.
#
# SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# drop-proxy.py UPSTREAM_PORT SEED BEFORE_PCT AFTER_PCT
#
# Prints the port it listens on, then relays.  For every chunk the client
# sends, with BEFORE_PCT % the connection is closed before the chunk reaches
# the server (the server never sees the request).  For every chunk the
# server answers, with AFTER_PCT % the connection is closed instead of
# relaying it: the server has processed the request, the client never
# learns it — the ambiguous failure that makes a naive client send twice.
# Counts of both go to stderr at exit.  Decisions come from SEED, so a run
# can be repeated.

import random
import signal
import socket
import sys
import threading

upstream_port = int(sys.argv[1])
rng = random.Random(int(sys.argv[2]))
before_pct = int(sys.argv[3])
after_pct = int(sys.argv[4])
lock = threading.Lock()
counts = {"before": 0, "after": 0, "connections": 0}


def decide(pct):
    with lock:
        return rng.randrange(100) < pct


def close(*socks):
    for s in socks:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


def pump(src, dst, pct, what, peer):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if pct and decide(pct):
                with lock:
                    counts[what] += 1
                break
            dst.sendall(data)
    except OSError:
        pass
    close(src, dst, peer)


def serve(client):
    try:
        server = socket.create_connection(("127.0.0.1", upstream_port))
    except OSError:
        close(client)
        return
    with lock:
        counts["connections"] += 1
    threading.Thread(target=pump, args=(client, server, before_pct, "before", client), daemon=True).start()
    threading.Thread(target=pump, args=(server, client, after_pct, "after", server), daemon=True).start()


def main():
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(0))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print(listener.getsockname()[1], flush=True)
    try:
        while True:
            client, _ = listener.accept()
            serve(client)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    try:
        main()
    finally:
        sys.stderr.write("drop-proxy: %d connections, %d dropped before, %d after\n"
                         % (counts["connections"], counts["before"], counts["after"]))
