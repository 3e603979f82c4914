"""The backup scripts of ``deploy/backup/``, for the tests: their folder, a module loader (they are
files, not a package) and a runner for the shell scripts."""

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parents[2] / "deploy" / "backup"
SHELL_SCRIPTS = sorted(SCRIPTS.glob("*.sh"))


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"backup_{name}", SCRIPTS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def sh(
    script: str, *args: object, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPTS / script), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
