"""Run attack programs with the filter off and report what reached the host.

Used in-process by the root tests and as a script (`python host_probe.py LAYERS`) by the
ordinary-user tests, which start it under an unprivileged uid. The trusted process holds
a canary in its environment and listens on TCP, UDP and a unix socket; afterwards the probe
looks for marker files, received bytes, leftover processes and the canary in each result.
"""

from __future__ import annotations

import glob
import json
import os
import socket
import sys
import tempfile
import time
import uuid
from pathlib import Path

MARKER_DIRS = ("/tmp", "/dev/shm", "/var/tmp", "/")


class Host:
    """Listeners and a canary for one batch of attacks."""

    def __init__(self) -> None:
        self.token = "d2c" + uuid.uuid4().hex[:12]
        # /proc/PID/environ shows a process's initial environment: the subprocess tests
        # start the trusted process with the canary already in it.
        self.canary = os.environ.get("DEMO2CODE_TEST_CANARY") or "CANARY" + uuid.uuid4().hex
        os.environ["DEMO2CODE_TEST_CANARY"] = self.canary
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.tcp.setblocking(False)
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.udp.setblocking(False)
        self.sock_dir = tempfile.mkdtemp(prefix="d2c-sock-")
        os.chmod(self.sock_dir, 0o777)
        self.unix_path = os.path.join(self.sock_dir, "s")
        self.unix = socket.socket(socket.AF_UNIX)
        self.unix.bind(self.unix_path)
        os.chmod(self.unix_path, 0o777)
        self.unix.listen()
        self.unix.setblocking(False)

    def program(self, code: str) -> str:
        return (
            code.replace("TOKEN", self.token)
            .replace("PORT", str(self.port))
            .replace("UPATH", self.unix_path)
        )

    def breaches(self) -> list[str]:
        """Everything of this batch that reached the host."""
        found = [p for d in MARKER_DIRS for p in glob.glob(os.path.join(d, f"*{self.token}*"))]
        for listener, what in ((self.tcp, "tcp"), (self.unix, "unix")):
            try:
                conn, _ = listener.accept()
                found.append(f"{what} connection")
                conn.close()
            except BlockingIOError:
                pass
        try:
            self.udp.recv(100)
            found.append("udp datagram")
        except BlockingIOError:
            pass
        return found

    def close(self) -> None:
        for s in (self.tcp, self.udp, self.unix):
            s.close()
        Path(self.unix_path).unlink(missing_ok=True)
        os.rmdir(self.sock_dir)
        for d in MARKER_DIRS:  # never leave a breach behind for the next test
            for p in glob.glob(os.path.join(d, f"*{self.token}*")):
                if os.path.isdir(p) and not os.path.islink(p):
                    os.rmdir(p)
                else:
                    os.unlink(p)


def episode_processes() -> set[int]:
    """Every child of this process's fork servers: an episode's processes still alive.
    (Other children, such as a model server a fixture started, are not episodes.)"""
    left: set[int] = set()
    for child in _children(os.getpid()):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"demo2code.sandbox.forkserver" in cmdline:
            left |= _children(child)
    return left


def _children(pid: int) -> set[int]:
    pids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            pids.update(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return pids


def run_attacks(attacks: list[tuple[str, str]], layers: frozenset[str] | None) -> list[dict]:
    """Each attack with the filter off; one report per attack."""
    from demo2code.sandbox import Limits, run_program
    from tests.sandbox.attacks import PRELUDE
    from tests.sandbox.toy_episode import CounterEpisode

    limits = Limits(wall_seconds=3.0, cpu_seconds=1, memory_mb=128, grace_seconds=0.5)
    host = Host()
    reports = []
    try:
        for name, code in attacks:
            result = run_program(
                PRELUDE + host.program(code), CounterEpisode, limits, check=False, layers=layers
            )
            if name == "daemon":
                time.sleep(2.0)  # give a surviving daemon the time to act
            text = json.dumps(result.to_json())
            reports.append(
                {
                    "name": name,
                    "outcome": result.outcome,
                    "message": result.message,
                    "canary": host.canary in text,
                    "breaches": host.breaches(),
                    "left": sorted(episode_processes()),
                    "control": any(ord(c) < 32 and c not in "\n\t" for c in text),
                    "isolation": result.isolation,
                }
            )
    finally:
        host.close()
    return reports


if __name__ == "__main__":
    from tests.sandbox.attacks import ATTACKS

    wanted = None if sys.argv[1] == "all" else frozenset(sys.argv[1].split(",")) - {""}
    names = sys.argv[2].split(",") if len(sys.argv) > 2 and sys.argv[2] else None
    chosen = [a for a in ATTACKS if names is None or a[0] in names]
    print(json.dumps({"uid": os.getuid(), "reports": run_attacks(chosen, wanted)}))
