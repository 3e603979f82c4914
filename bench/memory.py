"""Measure the peak memory of a callable in a fresh child process.

The figure is the RSS high-water mark, which includes the interpreter itself.
"""

import multiprocessing as mp
import resource
import time
from collections.abc import Callable
from typing import Any


def _child(fn: Callable[..., Any], args: tuple[Any, ...], queue: Any) -> None:
    started = time.perf_counter()
    cpu_started = time.process_time()
    result = fn(*args)
    queue.put(
        {
            "result": result,
            "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu_started,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )


def measure_in_child(fn: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """Run fn(*args) in a fresh (spawned) process; return result, seconds, CPU seconds, peak RSS.

    fn must be a module-level function and its result picklable (keep it small: figures).
    """
    context = mp.get_context("spawn")  # fresh interpreter: the peak is its own
    queue = context.Queue()
    process = context.Process(target=_child, args=(fn, args, queue))
    process.start()
    outcome = queue.get()
    process.join()
    return outcome
