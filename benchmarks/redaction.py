"""What the advice redaction catches and what it costs, over the sample requests.

    uv run python benchmarks/redaction.py [--rounds N]

Reads tests/advice/samples/ (realistic requests, each with the identifiers its case's
records hold and the others it mentions). Prints, for each sample, the known identifiers
left (must be none) and the others caught; the share of the others caught over all
samples; the time to build the analyser once; and the median time a text for the real
redaction against a baseline in the same run: a plain regular-expression replace of the
known identifiers' literal values, which is what the simplest tool would do (and which
misses the first name alone, other spellings, and everything the records do not hold).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.advice.samples import Sample, caught, load_samples, survivors  # noqa: E402


def baseline(sample: Sample) -> str:
    """Replace each known value, exactly as the records hold it, case-insensitively."""
    text = sample.text
    for identifier in sample.known:
        text = re.sub(re.escape(identifier.value), "[REDACTED]", text, flags=re.IGNORECASE)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    samples = load_samples()

    started = time.perf_counter()
    from sharewise.advice.redaction import analyzer, redact

    imported = time.perf_counter() - started
    started = time.perf_counter()
    analyzer()
    built = time.perf_counter() - started

    known_left = 0
    baseline_left = 0
    others = others_caught = baseline_caught = 0
    print(f"{'sample':38} {'known left':>10} {'others caught':>14} {'baseline left':>14}")
    for sample in samples:
        redacted = redact(sample.text, sample.known).text
        plain = baseline(sample)
        left = sum(1 for i in sample.known if survivors(i, redacted))
        plain_left = sum(1 for i in sample.known if survivors(i, plain))
        found = sum(1 for kind, value in sample.other if caught(kind, value, redacted))
        known_left += left
        baseline_left += plain_left
        others += len(sample.other)
        others_caught += found
        baseline_caught += sum(1 for kind, value in sample.other if caught(kind, value, plain))
        print(f"{sample.id:38} {left:>10} {found:>8}/{len(sample.other):<5} {plain_left:>14}")

    print()
    print(f"samples: {len(samples)}")
    print(f"known identifiers left: {known_left} (baseline: {baseline_left})")
    print(
        f"other identifiers caught: {others_caught}/{others} = {others_caught / others:.0%} "
        f"(baseline: {baseline_caught}/{others} = {baseline_caught / others:.0%})"
    )

    timings: list[float] = []
    baseline_timings: list[float] = []
    for _ in range(args.rounds):
        for sample in samples:
            start = time.perf_counter()
            redact(sample.text, sample.known)
            timings.append(time.perf_counter() - start)
            start = time.perf_counter()
            baseline(sample)
            baseline_timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    median_baseline = statistics.median(baseline_timings)
    print(f"import Presidio and spaCy: {imported:.2f} s; build the analyser: {built:.2f} s")
    print(
        f"per text (median of {len(timings)}): redaction {median * 1000:.1f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)] * 1000:.1f} ms; "
        f"baseline regex {median_baseline * 1000:.3f} ms; "
        f"ratio {median / median_baseline:.0f}x"
    )


if __name__ == "__main__":
    main()
