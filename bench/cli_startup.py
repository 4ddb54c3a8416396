"""Start-up time of the `reduksi` command: wall time of `reduksi --help`, `reduksi models PROJECT` and
`reduksi triangulation PROJECT` beside bare `python -c pass`, measured in the same run.

The project is the demo corpus after `reduksi run` (made once in a temporary folder). Each command runs
`--repeat` times; the table shows the median and the fastest run. Target: `--help` and `models` within 0.5 s.

    python bench/cli_startup.py [--repeat 9]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REDUKSI = [sys.executable, "-m", "pipeline"]


def wall(command: list[str], repeat: int) -> tuple[float, float]:
    """(median, fastest) wall seconds; the first call warms the file cache and is not counted."""
    subprocess.run(command, check=True, capture_output=True, cwd=REPO)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=REPO)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = str(Path(scratch) / "gugus3")
        subprocess.run([*REDUKSI, "run", "corpora/gugus3", "--out", project], check=True, capture_output=True,
                       cwd=REPO)
        commands = {"python -c pass": [sys.executable, "-c", "pass"],
                    "reduksi --help": [*REDUKSI, "--help"],
                    "reduksi models PROJECT": [*REDUKSI, "models", project],
                    "reduksi triangulation PROJECT": [*REDUKSI, "triangulation", project]}
        figures = {name: wall(command, args.repeat) for name, command in commands.items()}
    base = figures["python -c pass"][0]
    print(f"{'command':<32}{'median s':>10}{'fastest s':>11}{'over python':>13}")
    for name, (median, fastest) in figures.items():
        print(f"{name:<32}{median:>10.3f}{fastest:>11.3f}{median - base:>13.3f}")
    print(json.dumps({"python_s": round(base, 3), "help_s": round(figures["reduksi --help"][0], 3),
                      "models_s": round(figures["reduksi models PROJECT"][0], 3),
                      "triangulation_s": round(figures["reduksi triangulation PROJECT"][0], 3)}))


if __name__ == "__main__":
    main()
