#!/usr/bin/env python3
"""Instruction counts of WebSocket handshakes through the release server, under callgrind.

Starts `pythia-chat --serve` under valgrind as `profile-post.py` does, registers CONNECTIONS
users (each a fresh token, as after a restart), then counts only the opening of their
WebSockets, all at once (`pythia-bench load`, run natively), up to each one's
`connection_established`, and dumps the count to OUT.callgrind.1. Every user is in #general,
so each handshake also announces `user_status` to the users already online. Run from the
package directory after building both products in release:

    Docs/bench/profile-handshake.py /tmp/handshake       # CONNECTIONS=300 by default
    callgrind_annotate --inclusive=yes /tmp/handshake.callgrind.1 | swift demangle --simplified
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

_spec = importlib.util.spec_from_file_location("profile_post", os.path.join(os.path.dirname(__file__), "profile-post.py"))
post = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(post)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/pythia-handshake"
    chat = os.environ.get("CHAT", ".build/release/pythia-chat")
    bench = os.environ.get("BENCH", ".build/release/pythia-bench")
    connections = int(os.environ.get("CONNECTIONS", "300"))
    work = tempfile.mkdtemp(prefix="pythia-profile-")
    server, port = post.start_traced_server(chat, work, out)
    try:
        tokens = post.register_users(port, connections)
        channel = post.request(port, "GET", "/api/v1/channels/", token=tokens[0])[0]["id"]
        plan = {
            "host": "127.0.0.1", "port": port, "greeting": "firstFrame", "bodyShape": "chatMessage",
            "channels": [channel],
            "subscribers": [{"path": f"/ws?token={token}", "channel": 0} for token in tokens],
            "senders": [], "rate": 0, "duration": 0, "drainTimeout": 0, "hold": 0,
            "connectConcurrency": connections, "threads": 1, "sourceAddresses": [],
        }
        with open(f"{work}/plan.json", "w") as file:
            json.dump(plan, file)
        subprocess.run(["callgrind_control", "--instr=on", str(server.pid)], check=True, capture_output=True)
        load = subprocess.Popen([bench, "load", "--plan", f"{work}/plan.json"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        connected = json.loads(load.stdout.readline())
        time.sleep(1.5)  # the last user_status frames leave (their flush waits up to 1 s)
        subprocess.run(["callgrind_control", "--dump=handshakes", str(server.pid)], check=True, capture_output=True)
        subprocess.run(["callgrind_control", "--instr=off", str(server.pid)], check=True, capture_output=True)
        print("connected:", {key: connected.get(key) for key in ("opened", "failed", "seconds", "firstFailure")})
        load.stdin.write("go\n")
        load.stdin.flush()
        load.wait()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
