"""How fast are ce_teach's two hot losses next to PyTorch's? A script to run by hand, not a timed test.

    python -m benchmarks.bench_losses           # the README numbers: 512 × 50 000 logits, 10^7 elements
    python -m benchmarks.bench_losses --quick   # a smaller sanity run (a few seconds)
    python -m benchmarks.bench_losses --threads 1   # both libraries on one core

Run from the repository's root, so that the ce_teach measured is this checkout's (``python
benchmarks/bench_losses.py`` measures the installed one: the same after ``pip install -r requirements.txt``).

Results, their history and how to read them: benchmarks/README.md.

Cases, all float32 in and out:

1. sparse softmax cross-entropy, logits (512, 50 000) and integer labels, against
   ``torch.nn.functional.cross_entropy(logits, labels, reduction='none')``;
2. sigmoid cross-entropy, 10^7 logits and 0/1 labels, against
   ``torch.nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction='none')``.

A second baseline, when SciPy is installed, is what a NumPy user would otherwise reach for: SciPy in float64
(as ce_teach computes), rounded to float32 at the end. For 1, ``-scipy.special.log_softmax(logits64, axis=1)``
at the labels; for 2, ``-(z * log_expit(x64) + (1 - z) * log_expit(-x64))``.

Method: after warm-up, the libraries run in alternation (ours, torch, scipy, ours, torch, scipy, ...) so
that all see the same machine state, and each reports the median of its wall-clock times; the ratios are
ours/torch and ours/scipy from the same run. Extra memory is the peak of ``tracemalloc`` during one call of
ours minus its level before the call (NumPy reports its array allocations to tracemalloc; the inputs already
exist and are not counted, the returned array is). The torch tensors share the NumPy inputs' memory
(``torch.from_numpy``).

Both libraries compute differently on purpose: ce_teach works in float64 internally and rounds once
(float32 results within 1 ulp of the exact value) where torch stays in float32, so on CPUs whose float64
``exp``/``log1p`` are not vectorised (no AVX-512) part of the gap is the price of that accuracy.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import ce_teach as ct
from ce_teach import _parallel

TIME_TARGET = 1.5  # ours/torch median time must stay at or below this; 1.0 is the goal
SPARSE_MEMORY_MB = 32.0  # extra memory the sparse loss may allocate: no full-size temporaries


@dataclass
class Case:
    """One comparison: two zero-argument calls on the same data, and what ours must meet."""

    name: str
    ours: Callable[[], object]
    theirs: Callable[[], object] | None  # None when torch is not installed
    memory_target_mb: float | None = None
    scipy: Callable[[], object] | None = None  # None when SciPy is not installed


@dataclass
class Result:
    case: Case
    ours_ms: float
    theirs_ms: float
    extra_mb: float
    scipy_ms: float | None = None

    @property
    def ratio(self) -> float:
        return self.ours_ms / self.theirs_ms

    @property
    def scipy_ratio(self) -> float | None:
        return None if self.scipy_ms is None else self.ours_ms / self.scipy_ms

    @property
    def met(self) -> bool:
        memory_ok = self.case.memory_target_mb is None or self.extra_mb <= self.case.memory_target_mb
        return self.ratio <= TIME_TARGET and memory_ok


def sparse_case(rng: np.random.Generator, n_rows: int, n_classes: int, torch=None, special=None) -> Case:
    """Language-model shaped: float32 logits N(0, 3²) over a large vocabulary, uniform integer labels."""
    logits = rng.normal(0.0, 3.0, size=(n_rows, n_classes)).astype(np.float32)
    labels = rng.integers(0, n_classes, size=n_rows)

    def ours():
        return ct.sparse_softmax_cross_entropy_with_logits(labels, logits)

    theirs = None
    if torch is not None:
        t_logits, t_labels = torch.from_numpy(logits), torch.from_numpy(labels)

        def theirs():
            return torch.nn.functional.cross_entropy(t_logits, t_labels, reduction="none")

    scipy = None
    if special is not None:
        rows = np.arange(n_rows)

        def scipy():
            log_p = special.log_softmax(logits.astype(np.float64), axis=1)
            return (-log_p[rows, labels]).astype(np.float32)

    name = f"sparse softmax CE, {n_rows} × {n_classes:_} f32".replace("_", " ")
    return Case(name, ours, theirs, memory_target_mb=SPARSE_MEMORY_MB, scipy=scipy)


def sigmoid_case(rng: np.random.Generator, n: int, torch=None, special=None) -> Case:
    """Float32 logits N(0, 3²) and hard 0/1 labels, one loss per element."""
    logits = rng.normal(0.0, 3.0, size=n).astype(np.float32)
    labels = (rng.random(n) < 0.5).astype(np.float32)

    def ours():
        return ct.sigmoid_cross_entropy_with_logits(labels, logits)

    theirs = None
    if torch is not None:
        t_logits, t_labels = torch.from_numpy(logits), torch.from_numpy(labels)

        def theirs():
            return torch.nn.functional.binary_cross_entropy_with_logits(t_logits, t_labels, reduction="none")

    scipy = None
    if special is not None:

        def scipy():
            x, z = logits.astype(np.float64), labels.astype(np.float64)
            return (-(z * special.log_expit(x) + (1 - z) * special.log_expit(-x))).astype(np.float32)

    output_mb = n * 4 / 1e6
    name = f"sigmoid CE, {n:.0e} f32 (output {output_mb:.0f} MB)".replace("e+0", "e")
    return Case(name, ours, theirs, scipy=scipy)


def alternating_medians(*calls: Callable[[], object], reps: int, warmup: int) -> list[float]:
    """Median wall-clock milliseconds of each call, timed in alternation: ours, theirs, ..., ours, theirs, ..."""
    for _ in range(warmup):
        for fn in calls:
            fn()
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(reps):
        for fn, record in zip(calls, times, strict=True):
            start = time.perf_counter()
            fn()
            record.append((time.perf_counter() - start) * 1e3)
    return [statistics.median(t) for t in times]


def extra_peak_mb(fn: Callable[[], object]) -> float:
    """Peak traced memory during one call of ``fn`` minus the traced memory just before it, in MB."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return (peak - before) / 1e6


def measure(case: Case, *, reps: int, warmup: int) -> Result:
    calls = [case.ours, case.theirs] + ([case.scipy] if case.scipy is not None else [])
    medians = alternating_medians(*calls, reps=reps, warmup=warmup)
    scipy_ms = medians[2] if case.scipy is not None else None
    return Result(case, medians[0], medians[1], extra_peak_mb(case.ours), scipy_ms)


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| case | ours median ms | torch median ms | ratio ours/torch | our extra MB | scipy median ms "
        "| ratio ours/scipy | target | met? |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        target = f"≤ {TIME_TARGET}× time"
        if r.case.memory_target_mb is not None:
            target += f", ≤ {r.case.memory_target_mb:.0f} MB"
        scipy = "n/a | n/a" if r.scipy_ms is None else f"{r.scipy_ms:.1f} | {r.scipy_ratio:.2f}×"
        lines.append(
            f"| {r.case.name} | {r.ours_ms:.1f} | {r.theirs_ms:.1f} | {r.ratio:.2f}× | {r.extra_mb:.1f} | {scipy} "
            f"| {target} | {'yes' if r.met else 'no'} |"
        )
    return "\n".join(lines)


def cpu() -> str:
    """The CPU's model name and its widest vector extension (NumPy's float64 exp is vectorised with AVX-512F)."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "")
    flags = set(next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), []))
    widest = next((f for f in ("avx512f", "avx2", "avx") if f in flags), "no AVX")
    return f"{model or platform.machine()} ({widest.upper()})"


def environment(torch, scipy_version: str | None = None) -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"numpy {np.__version__}, torch {torch.__version__}, scipy {scipy_version or 'not installed'}, "
        f"Python {platform.python_version()}, "
        f"{cpu()}, {cores} cores; "
        f"threads: torch {torch.get_num_threads()}, ce_teach {_parallel.THREADS}"
    )


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, few repetitions: a sanity run")
    parser.add_argument("--reps", type=int, default=None, help="timed repetitions per library (default 15, quick 5)")
    parser.add_argument("--threads", type=int, default=None, help="limit both libraries to N threads (default: all)")
    args = parser.parse_args(argv)
    import torch  # the baseline; see pyproject's [torch] extra

    try:  # the second baseline, optional
        import scipy
        from scipy import special
    except ImportError:
        scipy = special = None

    if args.threads:
        torch.set_num_threads(args.threads)
        _parallel.THREADS = args.threads  # ce_teach splits large inputs into one part per thread

    rng = np.random.default_rng(0)
    if args.quick:
        cases = [sparse_case(rng, 64, 50_000, torch, special), sigmoid_case(rng, 10**6, torch, special)]
        reps, warmup = args.reps or 5, 1
    else:
        cases = [sparse_case(rng, 512, 50_000, torch, special), sigmoid_case(rng, 10**7, torch, special)]
        reps, warmup = args.reps or 15, 2
    results = [measure(case, reps=reps, warmup=warmup) for case in cases]
    version = scipy.__version__ if scipy is not None else None
    print(f"{reps} alternating repetitions each after {warmup} warm-up; {environment(torch, version)}\n")
    print(markdown_table(results))
    return results


if __name__ == "__main__":
    main()
