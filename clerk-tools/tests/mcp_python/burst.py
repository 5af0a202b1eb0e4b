"""Memory and sockets of `clerk-tools mcp --http` after a burst of concurrent tool calls.

    python3 clerk-tools/tests/mcp_python/burst.py target/release/clerk-tools [CALLS] [-- MCP ARGS...]

Standard library only. Starts the workspace's stand-in (`clerk-standin --port 0`, built beside
the program) as the Clerk API and `clerk-tools mcp --http 127.0.0.1:0` (with a generated bearer token and any
MCP ARGS, e.g. `--max-concurrent-requests 8`), then sends CALLS (default 500)
`clerk_list_users` calls at once, each on a connection of its own (all opened first, then all
requests written, then all answers read), and waits for every answer.
It prints the server's RSS (VmRSS), its peak RSS (VmHWM) and the sockets it holds open,
counted from /proc/PID/fd and split into connections to the stand-in, connections from
clients and others, right after the burst, 10 s later and 40 s later. Everything runs on
127.0.0.1.
"""

import asyncio
import json
import os
import secrets
import subprocess
import sys
import time

ARGS = sys.argv[1:]
EXTRA = ARGS[ARGS.index("--") + 1:] if "--" in ARGS else []
ARGS = ARGS[:ARGS.index("--")] if "--" in ARGS else ARGS
PROGRAM = ARGS[0] if ARGS else "target/release/clerk-tools"
STANDIN = os.path.join(os.path.dirname(PROGRAM), "clerk-standin")
CALLS = int(ARGS[1]) if len(ARGS) > 1 else 500


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field}")


def tcp_table(pid):
    """inode -> (local port, remote port, state) for the TCP sockets in the process's namespace."""
    table = {}
    for name in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{name}") as rows:
                next(rows)
                for row in rows:
                    fields = row.split()
                    local, remote, state, inode = fields[1], fields[2], fields[3], int(fields[9])
                    table[inode] = (int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16), state)
        except FileNotFoundError:
            pass
    return table


def sockets(pid, server_port, api_port):
    table = tcp_table(pid)
    counts = {"to the API": 0, "from clients": 0, "other": 0}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if not target.startswith("socket:["):
            continue
        local, remote, _state = table.get(int(target[8:-1]), (0, 0, ""))
        if remote == api_port:
            counts["to the API"] += 1
        elif local == server_port and remote != 0:
            counts["from clients"] += 1
        else:
            counts["other"] += 1
    return counts


async def burst(port, token, calls):
    """Opens every connection first, then sends every request, then reads every answer, so that
    the server has them all under way at once."""
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(calls)]
    for n, (_, writer) in enumerate(connections):
        body = json.dumps({"jsonrpc": "2.0", "id": n, "method": "tools/call",
                           "params": {"name": "clerk_list_users", "arguments": {}}}).encode()
        writer.write(
            f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json, text/event-stream\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body
        )
    await asyncio.gather(*(writer.drain() for _, writer in connections))

    async def answer(reader, writer):
        response = await reader.read()
        writer.close()
        head, _, body = response.partition(b"\r\n\r\n")
        return head.split(b" ", 2)[1] == b"200" and json.loads(body)["result"]["isError"] is False

    return await asyncio.gather(*(answer(reader, writer) for reader, writer in connections))


def main():
    standin = subprocess.Popen([STANDIN, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    env = dict(os.environ)
    for _ in range(2):
        name, value = standin.stdout.readline().strip().split("=", 1)
        env[name] = value
    token = secrets.token_urlsafe(32)
    env["CLERK_TOOLS_MCP_TOKEN"] = token
    server = subprocess.Popen(
        [PROGRAM, "mcp", "--http", "127.0.0.1:0", *EXTRA], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    try:
        url = server.stdout.readline().strip().split("=", 1)[1]
        server_port = int(url.rsplit(":", 1)[1].split("/")[0])
        api_port = int(env["CLERK_API_URL"].rsplit(":", 1)[1].split("/")[0])
        began = time.perf_counter()
        answers = asyncio.run(burst(server_port, token, CALLS))
        took = time.perf_counter() - began
        failed = answers.count(False)
        print(f"{CALLS} concurrent clerk_list_users calls answered in {took:.2f} s, {failed} failed"
              f" (mcp {' '.join(EXTRA) or 'with default settings'})")
        for label, wait in [("right after", 0), ("10 s later", 10), ("40 s later", 30)]:
            time.sleep(wait)
            counts = sockets(server.pid, server_port, api_port)
            print(f"{label}: RSS {status_kib(server.pid, 'VmRSS') / 1024:.1f} MiB, peak RSS "
                  f"{status_kib(server.pid, 'VmHWM') / 1024:.1f} MiB, open sockets: "
                  + ", ".join(f"{n} {what}" for what, n in counts.items()))
    finally:
        server.terminate()
        server.wait(timeout=15)
        standin.terminate()
        standin.wait(timeout=15)


main()
