#!/usr/bin/env python3
"""An independent Lambda Runtime API harness: raw sockets, no HTTP library, nothing shared with the emulator.

It measures what the emulator measures, a second way, so that the emulator's own overhead shows as the
difference (test/emulator/timing-fidelity.test.ts). One cold start per line read on stdin:

    python3 independent-harness.py [--memory-mb N | --host-memory] [--env NAME=VALUE ...] EXECUTABLE
        then write "run\n", read one JSON line, repeat

For each run it spawns EXECUTABLE (posix_spawn, own session, stdio on /dev/null, cwd = its folder) with
AWS_LAMBDA_RUNTIME_API pointing here, and times, with one monotonic clock:
  t0 just before the spawn, t1 when the first GET /next has arrived (Init Duration = t1 - t0),
  td just before the event is written, t2 when the response body has arrived, t3 when the runtime asks
  for the next event (Duration = t3 - td, as Lambda counts it; the response alone is t2 - td).
It serves a runtime that keeps one keep-alive connection (as bench/floor/floor.c and the built-in client
do) and understands Content-Length bodies only: enough for the test, not a product.

Memory as on Lambda: a function's process sees its memory size (512 MB unless --memory-mb says otherwise), and
.NET's GC sizes its address-space reservation and bookkeeping from the memory it sees. So the harness moves itself
into a fresh memory cgroup of that size (cgroup v2 or v1; its runtimes inherit it) and gives the runtime
AWS_LAMBDA_FUNCTION_MEMORY_SIZE to match, in Lambda's environment rather than the caller's. Each result says
which limit held ("memoryLimit"); --host-memory, or a machine where no cgroup can be made (said once on
stderr), leaves the host's memory visible.
"""

import argparse
import json
import os
import re
import signal
import socket
import sys
import time
import uuid

EVENT = b'"hello"'


def read_head(conn: socket.socket, buffered: bytes) -> tuple[bytes, bytes]:
    """Reads until the end of a request head; returns (head, what came after it)."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise EOFError("the runtime closed the connection")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def read_body(conn: socket.socket, buffered: bytes, length: int) -> tuple[bytes, bytes]:
    data = buffered
    while len(data) < length:
        chunk = conn.recv(65536)
        if not chunk:
            raise EOFError("the runtime closed the connection mid-body")
        data += chunk
    return data[:length], data[length:]


def ms(nanoseconds: int) -> float:
    return nanoseconds / 1e6


# The environment Lambda gives a custom runtime (AWS's "defined runtime environment variables"), not the caller's:
# a runtime reads its environment at start (.NET scans it for its settings, and copies it all on its first
# SetEnvironmentVariable), so it gets what Lambda gives, not a developer's shell or npm's 80 variables.
# No credentials: none exist here.
LAMBDA_ENVIRONMENT = {
    "PATH": "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
    "LANG": "en_US.UTF-8",
    "TZ": ":UTC",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_LAMBDA_FUNCTION_NAME": "test_function",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/test_function",
    "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
    "LAMBDA_RUNTIME_DIR": "/var/runtime",
}

CGROUP_NAME = re.compile(r"^independent-harness-(\d+)$")


def cgroup_parents() -> list[tuple[str, str]]:
    """(kind, folder of this process's own cgroup) for cgroup v2 and for cgroup v1's memory hierarchy, as mounted."""
    own = {}
    with open("/proc/self/cgroup") as lines:
        for line in lines:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            own["v2" if controllers == "" else controllers] = path
    found = []
    with open("/proc/self/mountinfo") as lines:
        for line in lines:
            fields, _, tail = line.partition(" - ")
            root, mount_point = fields.split()[3:5]
            fstype, _, options = tail.split()[:3]
            if fstype == "cgroup2" and "v2" in own:
                kind, path = "cgroup v2", own["v2"]
            elif fstype == "cgroup" and "memory" in options.split(","):
                kind, path = "cgroup v1", next((p for c, p in own.items() if "memory" in c.split(",")), None)
            else:
                continue
            if path is not None and (path + "/").startswith(root.rstrip("/") + "/"):
                found.append((kind, os.path.join(mount_point, path[len(root.rstrip("/")) :].lstrip("/"))))
    return found


def remove_stale_cgroups(parent: str) -> None:
    """Harnesses that were killed leave their cgroup behind: remove those whose process is gone."""
    for entry in os.listdir(parent):
        match = CGROUP_NAME.match(entry)
        if not match or int(match.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            try:
                os.rmdir(os.path.join(parent, entry))
            except OSError:
                pass
        except PermissionError:
            pass


def enter_memory_cgroup(limit_bytes: int) -> tuple[str, str, str] | str:
    """Moves this process into a new memory cgroup of limit_bytes: (kind, its folder, the folder left), or why not."""
    reasons = []
    for kind, parent in cgroup_parents():
        folder = os.path.join(parent, f"independent-harness-{os.getpid()}")
        try:
            remove_stale_cgroups(parent)
            if kind == "cgroup v2":
                with open(os.path.join(parent, "cgroup.subtree_control")) as enabled:
                    if "memory" not in enabled.read().split():
                        raise OSError("the memory controller is not delegated to this cgroup")
            os.mkdir(folder)
            try:
                limits = ["memory.max"] if kind == "cgroup v2" else ["memory.limit_in_bytes"]
                # v1's memory plus swap, when swap is accounted: Lambda has no swap.
                if os.path.exists(os.path.join(folder, "memory.memsw.limit_in_bytes")):
                    limits.append("memory.memsw.limit_in_bytes")
                for name in limits:
                    with open(os.path.join(folder, name), "w") as limit:
                        limit.write(str(limit_bytes))
                with open(os.path.join(folder, "cgroup.procs"), "w") as procs:
                    procs.write(str(os.getpid()))
            except OSError:
                os.rmdir(folder)
                raise
            return kind, folder, parent
        except OSError as error:
            reasons.append(f"{kind} at {parent}: {error.strerror or error}")
    return "; ".join(reasons) or "no cgroup v2 and no cgroup v1 memory hierarchy is mounted"


def leave_memory_cgroup(folder: str, parent: str) -> None:
    try:
        with open(os.path.join(parent, "cgroup.procs"), "w") as procs:
            procs.write(str(os.getpid()))
        os.rmdir(folder)
    except OSError as error:
        print(f"independent-harness: could not remove {folder}: {error}", file=sys.stderr)


def cold_start(executable: str, server: socket.socket, base_env: dict[str, str], memory_limit: str | None) -> dict:
    # Each cold start is a new execution environment: a new log stream.
    stream = time.strftime("%Y/%m/%d/[$LATEST]", time.gmtime()) + uuid.uuid4().hex
    env = dict(base_env, AWS_LAMBDA_LOG_STREAM_NAME=stream)
    devnull = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(executable, [executable], env, file_actions=devnull, setsid=True)
    try:
        conn, _ = server.accept()
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            head, rest = read_head(conn, b"")
            t1 = time.perf_counter_ns()
            if not head.startswith(b"GET /2018-06-01/runtime/invocation/next "):
                raise ValueError(f"expected GET /next, got {head[:80]!r}")
            request_id = str(uuid.uuid4())
            deadline = int(time.time() * 1000) + 30_000
            answer = (
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Lambda-Runtime-Aws-Request-Id: {request_id}\r\n"
                f"Lambda-Runtime-Deadline-Ms: {deadline}\r\n"
                "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:012345678912:function:test_function\r\n"
                "Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0\r\n"
                f"Content-Length: {len(EVENT)}\r\n\r\n"
            ).encode() + EVENT
            td = time.perf_counter_ns()
            conn.sendall(answer)
            head, rest = read_head(conn, rest)
            body, rest = read_body(conn, rest, content_length(head))
            t2 = time.perf_counter_ns()
            if not head.startswith(f"POST /2018-06-01/runtime/invocation/{request_id}/response ".encode()):
                raise ValueError(f"expected the response, got {head[:80]!r}")
            accepted = b'{"status":"OK"}'
            conn.sendall(
                b"HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(accepted)}\r\n\r\n".encode()
                + accepted
            )
            head, rest = read_head(conn, rest)
            t3 = time.perf_counter_ns()
            # Killed before its connection closes: else the runtime may see the close first and reconnect, and that
            # dead connection would wait in the listen backlog for the next run to accept.
            os.killpg(pid, signal.SIGKILL)
    finally:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    return {
        "initMs": ms(t1 - t0),
        "durationMs": ms(t3 - td),
        "responseMs": ms(t2 - td),
        "coldStartMs": ms(t2 - t0),
        "payload": body.decode("utf-8", "replace"),
        "memoryLimit": memory_limit,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Cold-starts EXECUTABLE once per 'run' line on stdin.")
    parser.add_argument("--memory-mb", type=int, default=512, help="the function's memory size (default 512)")
    parser.add_argument("--host-memory", action="store_true", help="no memory cgroup: the runtime sees the host's memory")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="the function's own environment variables"
    )
    parser.add_argument("executable")
    args = parser.parse_args()
    function_env = dict(pair.split("=", 1) for pair in args.env if "=" in pair)
    executable = os.path.abspath(args.executable)
    os.chdir(os.path.dirname(executable))
    # Stopped by a signal, still leave the cgroup and remove it (the finally below).
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, lambda number, frame: sys.exit(128 + number))
    entered = None if args.host_memory else enter_memory_cgroup(args.memory_mb * 1024 * 1024)
    if isinstance(entered, str):
        print(f"independent-harness: no {args.memory_mb} MB memory limit, the runtime sees the host's memory: {entered}", file=sys.stderr)
    memory_limit = f"{entered[0]}, {args.memory_mb} MB" if isinstance(entered, tuple) else None
    try:
        serve(executable, args.memory_mb, function_env, memory_limit)
    finally:
        if isinstance(entered, tuple):
            leave_memory_cgroup(entered[1], entered[2])
    return 0


def serve(executable: str, memory_mb: int, function_env: dict[str, str], memory_limit: str | None) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    base_env = {
        **LAMBDA_ENVIRONMENT,
        **function_env,
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server.getsockname()[1]}",
        "_HANDLER": os.path.basename(executable),
        "LAMBDA_TASK_ROOT": os.path.dirname(executable),
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
    }
    server.settimeout(30)
    for line in sys.stdin:
        if line.strip() != "run":
            continue
        try:
            result = cold_start(executable, server, base_env, memory_limit)
        except (OSError, EOFError, ValueError) as error:
            result = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
