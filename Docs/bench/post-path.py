#!/usr/bin/env python3
"""Instructions per post, by component, from a callgrind dump of Docs/bench/profile-post.py.

Reads the dump's call graph, demangles Swift names with `swift demangle`, and prints a
markdown table: for each component the inclusive instructions of the functions that enter
it, per post (calls of the closure `SQLiteStorage.postMessage` commits) and as a share of the dump.
Rows count the inclusive cost of calls into a component from outside it; Swift's async
functions tail-call their continuations, which callgrind can book to the caller, so an
async row (JWT verify above all) can count more than its own work, and the shares, of the
whole dump, need not add up to 100 %. The whole-server total per post is exact: compare
builds by it.

    Docs/bench/post-path.py /tmp/post.callgrind.1 [SUBSCRIBERS]
"""
import collections
import re
import subprocess
import sys

# Component → regular expression over demangled (simplified) function names. A function's
# inclusive cost counts once per component even if several matching functions nest.
COMPONENTS = [
    ("HTTP/1 parse (NIO's decoder and llhttp)", r"^HTTPDecoder\.decode\(context:buffer:\)$"),
    ("auth: JWT verify", r"TokenAuthority\.verify\("),
    ("auth: token standing (SQLite read)", r"SQLiteStorage\.tokenStanding\("),
    ("request body decode (JSON)", r"static RequestBody\.decode<"),
    ("channel + membership checks (SQLite reads)", r"SQLiteStorage\.(channel\(id:viewerId:\)|role\(of:in:\))"),
    ("storage commit (write transaction: insert, read-back, COMMIT)", r"^Database\.inTransaction\("),
    ("  of which, and of the reads: preparing SQL statements", r"^sqlite3_prepare_v3$"),
    ("JSON encode (the event, once per post; the response)",
     r"^(JSONEncoder\.encode<A>\(_:\)|static JSONWriter\.bytes<A>\(of:capacity:\))$"),
    ("hub fan-out (Hub.deliver)", r"Hub\.deliver\("),
    ("per-connection WebSocket frame writes", r"^FrameWriter\.writeOnLoop\("),
    ("per-connection flushes (NIO, user space)", r"^ChannelHandlerContext\.flush\(\)$"),
]


def parse(path):
    """Self cost, inclusive cost of calls made, and calls received, per function id."""
    names = {}
    self_cost = collections.Counter()
    callee_cost = collections.Counter()  # caller id → inclusive cost of the calls it made
    calls_received = collections.Counter()
    edges = collections.Counter()  # (caller, callee) → inclusive cost
    current = None
    callee = None
    pending_call = False
    total = 0
    name_re = re.compile(r"^(c?fn)=\((\d+)\)(?: (.*))?$")
    with open(path, errors="replace") as file:
        for line in file:
            line = line.rstrip("\n")
            match = name_re.match(line)
            if match:
                kind, ident, name = match.groups()
                if name is not None:
                    names[ident] = name
                if kind == "fn":
                    current = ident
                else:
                    callee = ident
                continue
            if line.startswith("calls="):
                count = int(line[6:].split()[0])
                calls_received[callee] += count
                pending_call = True
                continue
            if line.startswith("summary:"):
                total = int(line.split()[1])
                continue
            if not line or not (line[0].isdigit() or line[0] in "+-*"):
                continue
            cost = int(line.split()[-1])
            if pending_call:
                callee_cost[current] += cost
                edges[(current, callee)] += cost
                pending_call = False
            else:
                self_cost[current] += cost
    return names, self_cost, callee_cost, calls_received, edges, total


def demangle(names):
    ids = list(names)
    result = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names[i] for i in ids),
                            capture_output=True, text=True, check=True)
    return dict(zip(ids, result.stdout.split("\n")))


def main():
    path = sys.argv[1]
    subscribers = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    names, self_cost, callee_cost, calls_received, edges, total = parse(path)
    readable = demangle(names)
    inclusive = {ident: self_cost[ident] + callee_cost[ident] for ident in names}
    # The closure each post runs inside the write transaction: once per post.
    posts = sum(calls_received[i] for i, name in readable.items()
                if name.startswith("closure #1 in SQLiteStorage.postMessage("))
    if posts == 0:
        sys.exit("no SQLiteStorage.postMessage calls in the dump")
    print(f"{total:,} instructions in the dump, {posts} posts, {subscribers} subscribers: "
          f"{total // posts:,} instructions per post, {total // (posts * subscribers):,} per delivery\n")
    print("| component | instructions per post | % of the dump |")
    print("|---|---:|---:|")
    for label, pattern in COMPONENTS:
        regex = re.compile(pattern)
        matching = {i for i, name in readable.items() if regex.search(name)}
        # Only the outermost matching frames: a matching function called by another is inside it.
        outer = sum(cost for (caller, callee), cost in edges.items() if callee in matching and caller not in matching)
        print(f"| {label} | {outer // posts:,} | {100 * outer / total:.1f} % |")
    print(f"| **whole server, per post** | **{total // posts:,}** | 100 % |")
    if "--top" in sys.argv:
        print("\nTop inclusive functions:")
        for ident in sorted(inclusive, key=inclusive.get, reverse=True)[:int(sys.argv[sys.argv.index("--top") + 1])]:
            print(f"{inclusive[ident] // posts:>12,} {calls_received[ident]:>9} {readable[ident][:200]}")


if __name__ == "__main__":
    main()
