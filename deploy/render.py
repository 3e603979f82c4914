"""Render the nginx configuration of the layout from the environment file.

    .venv/bin/python deploy/render.py /etc/filiere/filiere.env /etc/nginx

writes ``sites-available/filiere.conf`` and ``snippets/filiere-locations.conf`` under the second
folder. ``@NAME@`` placeholders take their values from the environment file (and the process's
environment, which wins); the body-size limit comes from the app's own settings, so nginx never
refuses a file the app would accept. An unknown or missing placeholder stops the rendering.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TEMPLATES = {
    "sites-available/filiere.conf": HERE / "nginx" / "filiere.conf.in",
    "snippets/filiere-locations.conf": HERE / "nginx" / "filiere-locations.conf.in",
}
PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")
MIB = 1024 * 1024


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines (systemd's EnvironmentFile format); comments and blanks skipped."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep:
            raise ValueError(f"{path}: not NAME=value: {line!r}")
        values[name.strip()] = value.strip().strip('"')
    return values


def body_limit(settings: Any) -> int:
    """The largest body any page accepts (bytes), the app's limits being the reference."""
    return max(settings.FILIERE_MAX_BODY_BYTES, *settings.FILIERE_UPLOAD_BODY_LIMITS.values())


def values(env: Mapping[str, str], settings: Any, out_dir: Path) -> dict[str, str]:
    ports = [p.strip() for p in env.get("FILIERE_APP_PORTS", "8001,8002").split(",") if p.strip()]
    if len(ports) < 2 or not all(p.isdigit() for p in ports):
        raise ValueError("FILIERE_APP_PORTS: two or more port numbers, comma-separated")
    # A server that fails is left out for 5 s (passive check: nginx has no active one).
    upstream = "\n".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports
    )
    return {
        "UPSTREAM_SERVERS": upstream,
        "SERVER_NAME": env.get("NGINX_SERVER_NAME") or env["DJANGO_ALLOWED_HOSTS"].split(",")[0],
        "TLS_CERTIFICATE": env["NGINX_TLS_CERTIFICATE"],
        "TLS_CERTIFICATE_KEY": env["NGINX_TLS_CERTIFICATE_KEY"],
        "LOCATIONS_FILE": str(out_dir / "snippets" / "filiere-locations.conf"),
        "STATIC_ROOT": str(settings.STATIC_ROOT).rstrip("/"),
        # Whole mebibytes, rounded up.
        "CLIENT_MAX_BODY_SIZE": f"{-(-body_limit(settings) // MIB)}m",
    }


def render(template: str, mapping: Mapping[str, str]) -> str:
    missing = sorted({name for name in PLACEHOLDER.findall(template) if name not in mapping})
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: mapping[match.group(1)], template)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    env = {**read_env_file(Path(argv[1])), **os.environ}
    out_dir = Path(argv[2])
    os.environ.update(env)  # the settings module reads the same values as the app servers
    sys.path.insert(0, str(HERE.parent / "src"))
    import filiere.settings as settings

    mapping = values(env, settings, out_dir)
    for relative, template in TEMPLATES.items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(template.read_text(encoding="utf-8"), mapping), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
