"""Startup time and peak memory of `clerk-tools mcp`, over stdio and over Streamable HTTP.

    python3 clerk-tools/tests/mcp_python/measure.py target/release/clerk-tools [RUNS] [TOOLKIT]

Standard library only. Starts the workspace's stand-in (`clerk-standin --port 0`, built beside
the program) as the Clerk API, then RUNS times (default 5) for each transport:

- startup: from spawning `clerk-tools mcp` until the answers to `initialize` and `tools/list`
  have arrived (over HTTP, the server is ready once it prints its URL; that wait is included);
- peak RSS: the process's VmHWM from /proc/PID/status after that, and again after 100 tool
  calls (over HTTP, 100 at once from 20 threads).

Then, for each selection a host can ask for (the default, `--read-only`, `--dynamic`,
`--toolsets all`), the model-facing size of the tool definitions (name, description and input
schema, as compact JSON: what a host puts in the model's context) and the startup over stdio,
RUNS times each. With TOOLKIT, the local MCP server of Clerk's agent toolkit (a
`local-server.js` to run with node) is measured the same way, with every tool it has.

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
TOOLKIT = sys.argv[3] if len(sys.argv) > 3 else None
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


def stdio_request(server, message):
    """Sends one request over stdio and returns its answer."""
    server.stdin.write(json.dumps(message) + "\n")
    server.stdin.flush()
    while True:
        answer = json.loads(server.stdout.readline())
        if answer.get("id") == message["id"]:
            return answer


def stdio_start(command, env):
    """Spawns a stdio MCP server and has it list its tools; returns the server, the seconds
    from spawn to the answered tools/list, and the tools."""
    started = time.perf_counter()
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    stdio_request(server, INITIALIZE)
    server.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
    listed = stdio_request(server, LIST)
    return server, time.perf_counter() - started, listed["result"]["tools"]


def stdio_run(env):
    server, startup, tools = stdio_start([PROGRAM, "mcp"], env)
    assert tools, tools
    TOOLS_LISTED.add(len(tools))
    idle = peak_rss_kib(server.pid)
    for n in range(100):
        answer = stdio_request(server, call(10 + n))
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


MODES = [("default", []), ("--read-only", ["--read-only"]), ("--dynamic", ["--dynamic"]), ("--toolsets all", ["--toolsets", "all"])]


def model_facing_bytes(tools):
    """What a host hands the model for each tool: its name, description and input schema."""
    return sum(
        len(tool["name"].encode())
        + len(tool.get("description", "").encode())
        + len(json.dumps(tool.get("inputSchema", {}), separators=(",", ":")).encode())
        for tool in tools
    )


def listing_run(command, env):
    """Spawn to answered tools/list over stdio; returns the seconds it took and the tools."""
    server, startup, tools = stdio_start(command, env)
    server.stdin.close()
    server.wait(timeout=10)
    return startup, tools


def definitions(label, command, env):
    results = [listing_run(command, env) for _ in range(RUNS)]
    tools = results[0][1]
    startups = [startup for startup, _ in results]
    print(f"definitions {label}: {len(tools)} tools, {model_facing_bytes(tools) / 1000:.1f} KB model-facing, "
          f"{len(json.dumps(tools, separators=(',', ':')).encode()) / 1000:.1f} KB as listed (output schemas and annotations too)")
    print(summary(f"{label} startup (spawn to tools/list)", startups, "ms", 1000))


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
        for label, flags in MODES:
            definitions(label, [PROGRAM, "mcp", *flags], {**os.environ, **env})
        if TOOLKIT:
            toolkit_env = {**os.environ, "CLERK_SECRET_KEY": env["CLERK_SECRET_KEY"], "CLERK_API_URL": env["CLERK_API_URL"]}
            definitions("Clerk's agent toolkit", ["node", TOOLKIT, "--tools", "*"], toolkit_env)
    finally:
        standin.terminate()
        standin.wait(timeout=10)


main()
