"""Time the allocation maths (tools/allocation.py) without Odoo.

usage (from the repository root): $SRT_VENV/bin/python benchmarks/allocation_math.py

- allocate: 10,000 children with random bases, minimums, maximums and some locked
  amounts, in units of 100;
- potential_scores: 10,000 children x 8 factors, half min-max, half z-score.

Fixed seed; best of 5 runs after one warm-up. Exits 1 when either takes 100 ms or
more, or when the allocation does not add up exactly.
"""

import importlib
import sys
import time
import types
from pathlib import Path

import numpy as np

BUDGET_MS = 100.0
CHILDREN = 10_000
FACTORS = 8
TOOLS = Path(__file__).resolve().parent.parent / "tools"


def load_allocation():
    """tools/allocation.py as a submodule of a bare package over tools/: its
    relative import of rounding works, and tools/__init__.py is not run."""
    package = types.ModuleType("srt_tools")
    package.__path__ = [str(TOOLS)]
    sys.modules["srt_tools"] = package
    return importlib.import_module("srt_tools.allocation")


def best_ms(func, runs=5):
    func()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return 1000.0 * min(times)


def main():
    allocation = load_allocation()
    rng = np.random.default_rng(2024)
    n = CHILDREN
    basis = rng.gamma(2.0, 50_000.0, n).round(2)
    basis[rng.random(n) < 0.05] = 0.0
    minimum = np.where(rng.random(n) < 0.2, rng.uniform(0, 60_000, n).round(2), np.nan)
    maximum = np.where(
        rng.random(n) < 0.2, rng.uniform(80_000, 300_000, n).round(2), np.nan
    )
    locked = np.where(rng.random(n) < 0.02, rng.uniform(0, 100_000, n).round(2), np.nan)
    total = 1_350_000_000.0

    def run_allocate():
        return allocation.allocate(
            total, basis, unit=100, minimum=minimum, maximum=maximum, locked=locked
        )

    result = run_allocate()
    cents = np.round(result.amounts * 100).astype(np.int64)
    exact = int(cents.sum()) == round(total * 100)
    flags = {
        name: sum(name in f for f in result.flags)
        for name in ("locked", "minimum", "maximum", "residual")
    }

    values = rng.lognormal(10.0, 1.0, (n, FACTORS))
    weights = rng.uniform(1, 10, FACTORS).round(1)
    methods = ["minmax", "zscore"] * (FACTORS // 2)

    def run_scores():
        return allocation.potential_scores(values, weights, methods)

    allocate_ms = best_ms(run_allocate)
    scores_ms = best_ms(run_scores)
    ok = True
    for label, elapsed in (
        (f"allocate: {n:,} children, bounds and locks", allocate_ms),
        (f"potential_scores: {n:,} x {FACTORS} factors", scores_ms),
    ):
        under = elapsed < BUDGET_MS
        ok = ok and under
        verdict = "under" if under else "OVER"
        print(f"{label:<48} {elapsed:8.2f} ms  {verdict} {BUDGET_MS:g} ms")
    print(
        f"allocation adds up exactly: {'yes' if exact else 'NO'}; children "
        + ", ".join(f"{name} {count}" for name, count in flags.items())
    )
    return 0 if ok and exact else 1


if __name__ == "__main__":
    sys.exit(main())
