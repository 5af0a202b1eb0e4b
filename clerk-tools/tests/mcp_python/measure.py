"""Startup time and peak memory of `clerk-tools mcp`, over stdio and over Streamable HTTP.

    python3 clerk-tools/tests/mcp_python/measure.py target/release/clerk-tools [RUNS]

Standard library only. Starts the workspace's stand-in (`clerk-standin --port 0`, built beside
the program) as the Clerk API, then RUNS times (default 5) for each transport:

- startup: from spawning `clerk-tools mcp` until the answers to `initialize` and `tools/list`
  have arrived (over HTTP, the server is ready once it prints its URL; that wait is included);
- peak RSS: the process's VmHWM from /proc/PID/status after that, and again after 100 tool
  calls (over HTTP, 100 at once from 20 threads).

Prints one line per run and the median, minimum and maximum of each figure. Everything runs
on 127.0.0.1.
"""

import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

PROGRAM = sys.argv[1] if len(sys.argv) > 1 else "target/release/clerk-tools"
STANDIN = os.path.join(os.path.dirname(PROGRAM), "clerk-standin")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "measure", "version": "0"}},
}
LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
TOOLS_LISTED = set()


def call(id_, name="clerk_list_users", arguments=None):
    return {"jsonrpc": "2.0", "id": id_, "method": "tools/call", "params": {"name": name, "arguments": arguments or {}}}


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def start_standin():
    standin = subprocess.Popen([STANDIN, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    env = {}
    for _ in range(2):
        name, value = standin.stdout.readline().strip().split("=", 1)
        env[name] = value
    return standin, env


def stdio_run(env):
    started = time.perf_counter()
    server = subprocess.Popen([PROGRAM, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)

    def request(message):
        server.stdin.write(json.dumps(message) + "\n")
        server.stdin.flush()
        while True:
            answer = json.loads(server.stdout.readline())
            if answer.get("id") == message["id"]:
                return answer

    request(INITIALIZE)
    server.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
    listed = request(LIST)
    startup = time.perf_counter() - started
    assert listed["result"]["tools"], listed
    TOOLS_LISTED.add(len(listed["result"]["tools"]))
    idle = peak_rss_kib(server.pid)
    for n in range(100):
        answer = request(call(10 + n))
        assert answer["result"]["isError"] is False, answer
    busy = peak_rss_kib(server.pid)
    server.stdin.close()
    server.wait(timeout=10)
    return startup, idle, busy


TOKEN = secrets.token_urlsafe(32)


def post(url, message):
    data = json.dumps(message).encode()
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "Authorization": f"Bearer {TOKEN}",
    }
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=30) as response:
        return json.loads(response.read())


def http_run(env):
    started = time.perf_counter()
    server = subprocess.Popen(
        [PROGRAM, "mcp", "--http", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**env, "CLERK_TOOLS_MCP_TOKEN": TOKEN},
        text=True,
    )
    url = server.stdout.readline().strip().split("=", 1)[1]
    post(url, INITIALIZE)
    listed = post(url, LIST)
    startup = time.perf_counter() - started
    assert listed["result"]["tools"], listed
    TOOLS_LISTED.add(len(listed["result"]["tools"]))
    idle = peak_rss_kib(server.pid)
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda n: post(url, call(10 + n)), range(100)))
    assert all(answer["result"]["isError"] is False for answer in answers)
    busy = peak_rss_kib(server.pid)
    server.terminate()
    server.wait(timeout=10)
    return startup, idle, busy


def summary(label, values, unit, scale=1.0):
    values = [value * scale for value in values]
    return f"{label}: median {statistics.median(values):.1f} {unit} (min {min(values):.1f}, max {max(values):.1f})"


def main():
    standin, env = start_standin()
    try:
        for transport, run in [("stdio", stdio_run), ("http", http_run)]:
            results = []
            for index in range(RUNS):
                startup, idle, busy = run(env)
                results.append((startup, idle, busy))
                print(f"{transport} run {index + 1}: startup {startup * 1000:.1f} ms, peak RSS {idle / 1024:.1f} MiB "
                      f"after tools/list, {busy / 1024:.1f} MiB after 100 calls")
            print(summary(f"{transport} startup (initialize + tools/list)", [r[0] for r in results], "ms", 1000))
            print(summary(f"{transport} peak RSS after tools/list", [r[1] for r in results], "MiB", 1 / 1024))
            print(summary(f"{transport} peak RSS after 100 calls", [r[2] for r in results], "MiB", 1 / 1024))
        print(f"tools listed: {', '.join(str(n) for n in sorted(TOOLS_LISTED))}")
    finally:
        standin.terminate()
        standin.wait(timeout=10)


main()
