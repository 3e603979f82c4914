"""Run the benchmarks: ``python -m bench [name ...] [--quick]``.

Each ``bench/bench_<name>.py`` exposes ``run(quick: bool) -> dict``; its figures (times, memory
peaks, ratios to the baseline measured side by side in the same run) are printed and written to
``bench/results/<name>.json``. Benchmarks are never part of the test suite: machines are noisy.
"""

import argparse
import importlib
import json
import pkgutil
import platform
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules([str(here)])
        if info.name.startswith("bench_")
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {available()})"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    names = args.names or available()
    RESULTS.mkdir(exist_ok=True)
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        started = time.perf_counter()
        figures = module.run(quick=args.quick)
        figures["_meta"] = {
            "benchmark": name,
            "quick": args.quick,
            "wall_seconds": round(time.perf_counter() - started, 3),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": __import__("os").cpu_count(),
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        text = json.dumps(figures, indent=2, ensure_ascii=False)
        print(f"== {name}\n{text}")
        suffix = "-quick" if args.quick else ""
        (RESULTS / f"{name}{suffix}.json").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
