"""The whole `sharewise decide` process against starting Python and doing nothing.

    uv run python benchmarks/cli.py [--runs N]

Runs the virtual environment's own `sharewise` entry point (not through uv, which adds
its own start-up) on a complete set of facts, and `python -c pass` with the same
interpreter, alternating the two so that both see the same machine load. Prints the
median wall time of each; last line `decide/python: R` (target: at most 4). The command
must not import Django or read what it does not need for that to hold.
"""

from __future__ import annotations

import argparse
import compileall
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

FACTS = json.dumps(
    {
        "pack": "hmg-2008",
        "purpose": "yes",
        "legal_requirement": "none",
        "identifiable": "yes",
        "confidential": "yes",
        "consent": "refused",
        "reasons_not_to_seek_consent": [],
        "child_harm": "reasonable_cause",
    }
)


def timed(command: list[str], stdin: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{command} failed: {proc.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    # An installed package has its bytecode compiled; a source checkout run with
    # PYTHONDONTWRITEBYTECODE (as some sandboxes set) would recompile every module on every
    # run and measure the compiler instead of the command.
    import sharewise

    compileall.compile_dir(Path(sharewise.__file__).parent, quiet=1)
    python = Path(sys.executable)
    sharewise = python.with_name("sharewise")
    decide_cmd = [str(sharewise), "decide", "-"]
    python_cmd = [str(python), "-c", "pass"]
    out = json.loads(
        subprocess.run(decide_cmd, input=FACTS, capture_output=True, text=True, check=True).stdout
    )
    assert out["outcome"] == "share" and out["basis"] == "public_interest", out
    # One warm-up each, so that both read their files from the page cache.
    timed(decide_cmd, FACTS)
    timed(python_cmd, "")
    decide_times, python_times = [], []
    for _ in range(args.runs):
        decide_times.append(timed(decide_cmd, FACTS))
        python_times.append(timed(python_cmd, ""))
    decide_ms = statistics.median(decide_times) * 1000
    python_ms = statistics.median(python_times) * 1000
    print(
        f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, {args.runs} runs each"
    )
    print(f"python -c pass:   median {python_ms:.1f} ms")
    print(
        f"sharewise decide: median {decide_ms:.1f} ms (outcome {out['outcome']}, basis {out['basis']})"
    )
    print(f"decide/python: {decide_ms / python_ms:.2f}")


if __name__ == "__main__":
    main()
