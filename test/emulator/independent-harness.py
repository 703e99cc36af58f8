#!/usr/bin/env python3
"""An independent Lambda Runtime API harness: raw sockets, no HTTP library, nothing shared with the emulator.

It measures what the emulator measures, a second way, so that the emulator's own overhead shows as the
difference (test/emulator/timing-fidelity.test.ts). One cold start per line read on stdin:

    python3 independent-harness.py EXECUTABLE        then write "run\n", read one JSON line, repeat

For each run it spawns EXECUTABLE (posix_spawn, own session, stdio on /dev/null, cwd = its folder) with
AWS_LAMBDA_RUNTIME_API pointing here, and times, with one monotonic clock:
  t0 just before the spawn, t1 when the first GET /next has arrived (Init Duration = t1 - t0),
  td just before the event is written, t2 when the response body has arrived, t3 when the runtime asks
  for the next event (Duration = t3 - td, as Lambda counts it; the response alone is t2 - td).
It serves a runtime that keeps one keep-alive connection (as bench/floor/floor.c and the built-in client
do) and understands Content-Length bodies only: enough for the test, not a product.
"""

import json
import os
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


def cold_start(executable: str, server: socket.socket) -> dict:
    port = server.getsockname()[1]
    env = dict(os.environ)
    env.update(
        {
            "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
            "_HANDLER": os.path.basename(executable),
            "LAMBDA_TASK_ROOT": os.path.dirname(executable),
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        }
    )
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
    }


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: independent-harness.py EXECUTABLE", file=sys.stderr)
        return 2
    executable = os.path.abspath(sys.argv[1])
    os.chdir(os.path.dirname(executable))
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(30)
    for line in sys.stdin:
        if line.strip() != "run":
            continue
        try:
            result = cold_start(executable, server)
        except (OSError, EOFError, ValueError) as error:
            result = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
