"""Linear cross-entropy without the logits vs PyTorch's naive path. A script to run by hand, not a timed test.

    python -m benchmarks.bench_linear_ce                       # the README numbers: N = 2048, d = 128, V = 32768
    python -m benchmarks.bench_linear_ce --n 8192 --vocab 131072  # larger (torch's naive path needs ~12 GiB here)
    python -m benchmarks.bench_linear_ce --n 64 --d 8 --vocab 512 --repeats 1   # a smoke run

Run from the repository's root, so that the ce_teach measured is this checkout's.

Both compute the mean cross-entropy of hidden @ weight.T and its gradients with respect to hidden and weight,
in float32:

* ours: ``ct.linear_cross_entropy_grad(hidden, weight, labels)``: tiles of logits, an online log-sum-exp,
  never the (N, V) logits;
* torch (naive): ``F.cross_entropy(hidden @ weight.T, labels)`` followed by ``.backward()``, with the
  gradients cleared after each call so that each call allocates them, as ours does.

Time: after one warm-up call each, the two run in alternation (ours, torch, ours, torch, ...) so both see
the same machine state; each reports the median wall-clock time and the median CPU time of the process
(all its threads: BLAS's, torch's), and the ratios are ours/torch from the same run. On a shared machine
the CPU time is the steadier of the two.

Memory: peak extra resident memory (RSS) of one call, measured the same way for both, each in a fresh
Python process: build the inputs, run the same call once on a tiny problem (so that library start-up, BLAS
buffers and torch's kernels are in place), read VmRSS, reset the kernel's high-water mark
(``echo 5 > /proc/self/clear_refs``, Linux ≥ 4.0), make the call, and read VmHWM; extra = VmHWM − VmRSS
before. The returned gradients are included for both. Ours is also measured with ``tracemalloc`` (NumPy
reports its array allocations to it; torch's CPU allocator does not, hence RSS for the comparison).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

import ce_teach as ct

MEMORY_TARGET = 0.05  # our peak extra memory / torch's
TIME_TARGET = 2.0  # our median time / torch's
MiB = 2**20
ROOT = Path(__file__).resolve().parents[1]  # the repository: the memory child runs from here


def make_inputs(n: int, d: int, n_vocab: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    hidden = rng.normal(size=(n, d)).astype(np.float32)
    weight = rng.normal(scale=d**-0.5, size=(n_vocab, d)).astype(np.float32)
    labels = rng.integers(0, n_vocab, size=n)
    return hidden, weight, labels


def ours(hidden, weight, labels):
    return ct.linear_cross_entropy_grad(hidden, weight, labels)


def torch_naive(hidden, weight, labels):
    """The naive path: the full logits, F.cross_entropy, backward. Returns numpy (loss, d_hidden, d_weight)."""
    import torch

    th = torch.from_numpy(hidden).requires_grad_()
    tw = torch.from_numpy(weight).requires_grad_()
    loss = torch.nn.functional.cross_entropy(th @ tw.T, torch.from_numpy(labels))
    loss.backward()
    return loss.detach().numpy(), th.grad.numpy(), tw.grad.numpy()


def rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not found in /proc/self/status")


def measure_here(which: str, n: int, d: int, n_vocab: int) -> dict:
    """In this process: peak extra RSS of one call (and tracemalloc's peak for ours), in bytes."""
    call = ours if which == "ours" else torch_naive
    call(*make_inputs(4, d, 64, seed=1))  # start-up outside the measurement
    inputs = make_inputs(n, d, n_vocab)
    before = rss_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset VmHWM to the current RSS
    result = call(*inputs)
    peak = rss_kib("VmHWM")
    del result
    out = {"rss_peak_extra": (peak - before) * 1024}
    if which == "ours":
        tracemalloc.start()
        call(*inputs)
        out["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return out


def measure_in_fresh_process(which: str, n: int, d: int, n_vocab: int) -> dict:
    """``measure_here`` in a child process that runs this benchmark as a module from the repository's root.

    The child must measure the ce_teach this process imported; it reports where its own came from, and a
    different one (an installed copy of another checkout, say) is an error, not a silently wrong number.
    """
    sizes = ["--n", str(n), "--d", str(d), "--vocab", str(n_vocab)]
    command = [sys.executable, "-m", "benchmarks.bench_linear_ce", "--measure", which, *sizes]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, env=os.environ.copy())
    result = json.loads(done.stdout.strip().splitlines()[-1])
    child, here = Path(result.pop("ce_teach")).resolve(), Path(ct.__file__).resolve()
    if child != here:
        raise RuntimeError(
            f"the memory child imported ce_teach from {child}, this process from {here}: run the benchmark from "
            "the repository's root as python -m benchmarks.bench_linear_ce (or pip install -e . there)"
        )
    return result


def time_alternating(calls: dict, inputs, repeats: int) -> tuple[dict, dict]:
    """Median wall-clock and CPU times (all threads of this process) of each call, in seconds."""
    wall, cpu = {name: [] for name in calls}, {name: [] for name in calls}
    for call in calls.values():
        call(*inputs)  # warm-up
    for _ in range(repeats):
        for name, call in calls.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            call(*inputs)
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return (
        {name: statistics.median(t) for name, t in wall.items()},
        {name: statistics.median(t) for name, t in cpu.items()},
    )


def check_agreement(inputs) -> float:
    """Both paths compute the same thing: the largest difference relative to the gradient's scale."""
    mine, theirs = ours(*inputs), torch_naive(*inputs)
    assert abs(float(mine[0]) - float(theirs[0])) <= 1e-5 * abs(float(theirs[0]))
    worst = 0.0
    for a, b in zip(mine[1:], theirs[1:], strict=True):
        worst = max(worst, float(np.abs(a - b).max() / np.abs(b).max()))
    assert worst < 1e-4, f"gradients differ by {worst:.2e} of their largest entry"
    return worst


def machine() -> str:
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"{cpu}; {os.cpu_count()} logical CPUs; NumPy {np.__version__}; torch {torch.__version__} "
        f"({torch.get_num_threads()} threads); Python {platform.python_version()}"
    )


def report(args) -> str:
    inputs = make_inputs(args.n, args.d, args.vocab)
    worst = check_agreement(inputs)
    times, cpu = time_alternating({"ours": ours, "torch": torch_naive}, inputs, args.repeats)
    memory = {which: measure_in_fresh_process(which, args.n, args.d, args.vocab) for which in ("ours", "torch")}
    logits = args.n * args.vocab * 4
    t_ratio = times["ours"] / times["torch"]
    m_ratio = memory["ours"]["rss_peak_extra"] / memory["torch"]["rss_peak_extra"]
    lines = [
        f"N = {args.n}, d = {args.d}, V = {args.vocab}, float32; the logits would be {logits / MiB:.1f} MiB. "
        f"{args.repeats} alternating repetitions; gradients agree to {worst:.1e} of their largest entry.",
        machine(),
        "",
        "| path | median time (ms) | median CPU time (ms) | peak extra RSS (MiB) | tracemalloc peak (MiB) |",
        "|---|---|---|---|---|",
        f"| `ct.linear_cross_entropy_grad` | {1e3 * times['ours']:.1f} | {1e3 * cpu['ours']:.1f} "
        f"| {memory['ours']['rss_peak_extra'] / MiB:.1f} "
        f"| {memory['ours']['tracemalloc_peak'] / MiB:.1f} |",
        f"| torch: `F.cross_entropy(h @ W.T, y)` + backward | {1e3 * times['torch']:.1f} | {1e3 * cpu['torch']:.1f} "
        f"| {memory['torch']['rss_peak_extra'] / MiB:.1f} | n/a |",
        f"| ours / torch | {t_ratio:.2f} (target ≤ {TIME_TARGET}) | {cpu['ours'] / cpu['torch']:.2f} "
        f"| {m_ratio:.3f} (target ≤ {MEMORY_TARGET}) | |",
    ]
    return "\n".join(lines)


def main(argv=None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2048, help="tokens N")
    parser.add_argument("--d", type=int, default=128, help="hidden width d")
    parser.add_argument("--vocab", type=int, default=32768, help="vocabulary size V")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls of each, alternating")
    parser.add_argument("--measure", choices=("ours", "torch"), help=argparse.SUPPRESS)  # the memory child
    args = parser.parse_args(argv)
    if args.measure:
        text = json.dumps({**measure_here(args.measure, args.n, args.d, args.vocab), "ce_teach": ct.__file__})
    else:
        text = report(args)
    print(text)
    return text


if __name__ == "__main__":
    main()
