"""A real clamd (Debian's ``clamav-daemon``) for the tests, with a one-line signature database.

clamd refuses to start without signatures and we never download ClamAV's (no network, and they
are large): the database is one ``.ndb`` line matching the EICAR test string's distinctive part
(``Name:TargetType:Offset:HexSignature``; target 0 = any file, offset ``*`` = anywhere). clamd
listens on a unix socket in a temporary directory, in the foreground, and is stopped after the
test session. Tests that need it are skipped when ``clamd`` is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from filiere.calls.services.scanning import ClamdClient

EICAR_MARKER = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"
SIGNATURE_NAME = "Filiere.Test.EICAR"


def _clamd_binary() -> str | None:
    return shutil.which("clamd") or (
        "/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None
    )


class ClamdServer:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.socket_path = str(directory / "clamd.sock")
        self.process: subprocess.Popen | None = None

    def write_config(self) -> Path:
        (self.directory / "filiere.ndb").write_text(
            f"{SIGNATURE_NAME}:0:*:{EICAR_MARKER.hex()}\n", encoding="ascii"
        )
        lines = [
            f"LocalSocket {self.socket_path}",
            f"DatabaseDirectory {self.directory}",
            "Foreground yes",
            f"LogFile {self.directory / 'clamd.log'}",
            f"PidFile {self.directory / 'clamd.pid'}",
            "StreamMaxLength 64M",
            "SelfCheck 0",
        ]
        if os.geteuid() == 0:
            lines.append("User root")  # clamd drops to this user when started as root
        config = self.directory / "clamd.conf"
        config.write_text("\n".join(lines) + "\n", encoding="ascii")
        return config

    def start(self, timeout: float = 60) -> None:
        binary = _clamd_binary()
        assert binary, "clamd is not installed (apt-get install clamav-daemon)"
        config = self.write_config()
        self.process = subprocess.Popen(
            [binary, "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = ClamdClient(socket_path=self.socket_path, timeout=5)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.directory / "clamd.log").read_text(errors="replace")
                raise RuntimeError(f"clamd exited: {log[-2000:]}")
            if client.ping():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("clamd did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture(scope="session")
def clamd_server():
    if _clamd_binary() is None:
        # A missing scanner must not hide the antivirus tests: fail and say how to install it.
        pytest.fail("clamd is not installed: run `make system-deps` (Debian's clamav-daemon)")
    directory = Path(tempfile.mkdtemp(prefix="filiere-clamd-"))
    server = ClamdServer(directory)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def clamd(clamd_server, settings):
    """The running clamd, configured as the platform's scanner for one test."""
    if clamd_server.process is None or clamd_server.process.poll() is not None:
        clamd_server.start()
    settings.FILIERE_CLAMD_SOCKET = clamd_server.socket_path
    settings.FILIERE_CLAMD_HOST = ""
    return clamd_server
