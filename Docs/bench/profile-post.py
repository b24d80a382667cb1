#!/usr/bin/env python3
"""Instruction counts of a post's path through the release server, under callgrind.

Starts `pythia-chat --serve` (fresh SQLite file, bcrypt cost 4) under valgrind with
instrumentation off, registers SUBSCRIBERS + 4 users (all members of #general), opens the
subscribers and posts RATE messages/s spread evenly over 4 senders with `pythia-bench load`
(run natively: only the server is traced), counts WINDOW seconds of steady posting and dumps
them to OUT.callgrind.1. Divide by the dump's calls of `SQLiteStorage.postMessage` for costs
per post. Run from the package directory after building both products in release:

    Docs/bench/profile-post.py /tmp/post        # SUBSCRIBERS=100 RATE=5 WINDOW=30 by default
    Docs/bench/post-path.py /tmp/post.callgrind.1
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

# valgrind 3.19 writes into the mask passed to rt_sigsuspend, and libdispatch passes a read-only
# one (valgrind dies with SIGSEGV at start): preloaded, this hands the kernel a writable copy.
SIGSUSPEND_SHIM = r"""
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}
"""
PASSWORD = "pythia-profile-password"
SENDERS = 4


def request(port, method, path, body=None, token=None, forwarded_for=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    if forwarded_for:
        # The server trusts 127.0.0.1 as a proxy: each user registers from an address of its
        # own, so that the per-address registration limit does not pace the set-up.
        headers["X-Forwarded-For"] = forwarded_for
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=120) as response:
        return json.loads(response.read() or b"null")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_traced_server(chat, work, out):
    """`chat --serve` under callgrind with instrumentation off (fresh SQLite file in `work`,
    bcrypt cost 4, 127.0.0.1 a trusted proxy), once it answers `/health`: (process, port)."""
    # valgrind 3.19 cannot read Swift's DWARF 5: profile a copy with symbols, without debug info.
    subprocess.run(["objcopy", "--strip-debug", chat, f"{work}/pythia-chat"], check=True)
    with open(f"{work}/sigsuspend.c", "w") as source:
        source.write(SIGSUSPEND_SHIM)
    subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", f"{work}/sigsuspend.so", f"{work}/sigsuspend.c"], check=True)
    for stale in (f"{out}.callgrind", f"{out}.callgrind.1"):
        if os.path.exists(stale):
            os.remove(stale)
    port = free_port()
    log = open(f"{out}.server.txt", "w")
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}.callgrind",
         f"{work}/pythia-chat", "--serve", "--port", str(port), "--db", f"{work}/pythia.sqlite",
         "--bcrypt-cost", "4", "--trusted-proxy", "127.0.0.1"],
        env={**os.environ, "LD_PRELOAD": f"{work}/sigsuspend.so"}, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            request(port, "GET", "/health")
            return server, port
        except OSError:
            if server.poll() is not None:
                sys.exit(f"the server exited with status {server.returncode}; see {out}.server.txt")
            time.sleep(0.5)
    server.terminate()
    sys.exit("the server did not answer /health within 5 minutes")


def register_users(port, count):
    """Registers and logs in `count` users, each from an address of its own: their tokens."""
    tokens = []
    for index in range(count):
        name = f"profile{index}"
        address = f"10.{index // 62500}.{index // 250 % 250}.{index % 250 + 1}"
        request(port, "POST", "/api/v1/auth/register",
                {"username": name, "email": f"{name}@example.com", "password": PASSWORD}, forwarded_for=address)
        login = request(port, "POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD},
                        forwarded_for=address)
        tokens.append(login["access_token"])
    return tokens


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/pythia-post"
    chat = os.environ.get("CHAT", ".build/release/pythia-chat")
    bench = os.environ.get("BENCH", ".build/release/pythia-bench")
    subscribers = int(os.environ.get("SUBSCRIBERS", "100"))
    rate = float(os.environ.get("RATE", "5"))
    window = float(os.environ.get("WINDOW", "30"))
    work = tempfile.mkdtemp(prefix="pythia-profile-")
    server, port = start_traced_server(chat, work, out)
    try:
        tokens = register_users(port, subscribers + SENDERS)
        channel = request(port, "GET", "/api/v1/channels/", token=tokens[0])[0]["id"]

        duration = window + 30
        plan = {
            "host": "127.0.0.1", "port": port, "greeting": "firstFrame", "bodyShape": "chatMessage",
            "channels": [channel],
            "subscribers": [{"path": f"/ws?token={token}", "channel": 0} for token in tokens[:subscribers]],
            "senders": [{"path": "/api/v1/messages/", "authorization": f"Bearer {token}", "channel": 0}
                        for token in tokens[subscribers:]],
            "rate": rate, "duration": duration, "drainTimeout": 60, "hold": 0,
            "connectConcurrency": 16, "threads": 1, "sourceAddresses": [],
        }
        with open(f"{work}/plan.json", "w") as file:
            json.dump(plan, file)
        load = subprocess.Popen([bench, "load", "--plan", f"{work}/plan.json"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        connected = json.loads(load.stdout.readline())
        print("connected:", {key: connected.get(key) for key in ("opened", "failed", "seconds", "firstFailure")})
        time.sleep(3)  # the presence chatter of the connects dies down
        load.stdin.write("go\n")
        load.stdin.flush()
        time.sleep(10)  # past the first posts: count steady posting only
        subprocess.run(["callgrind_control", "--instr=on", str(server.pid)], check=True, capture_output=True)
        time.sleep(window)
        subprocess.run(["callgrind_control", "--dump=steady-posting", str(server.pid)], check=True, capture_output=True)
        subprocess.run(["callgrind_control", "--instr=off", str(server.pid)], check=True, capture_output=True)
        report = json.loads(load.stdout.readline()).get("report", {})
        load.wait()
        keys = ("published", "publishErrors", "publishErrorSamples", "expectedDeliveries", "deliveries", "disconnects")
        print("load:", {key: report.get(key) for key in keys})
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
