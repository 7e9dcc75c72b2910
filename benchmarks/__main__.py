"""Run every benchmark in its own process and print the figures."""

from __future__ import annotations

import json
import subprocess
import sys

BENCHMARKS: list[list[str]] = [
    ["benchmarks.import_throughput", "aggregator"],
    ["benchmarks.import_throughput", "aggregator-full"],
    ["benchmarks.import_throughput", "html"],
    ["benchmarks.analysis_throughput"],
    ["benchmarks.story_assignment"],
    ["benchmarks.recluster_memory"],
    ["benchmarks.ingest_throughput"],
    ["benchmarks.search_latency"],
    ["benchmarks.api_load"],
]


def main() -> None:
    print(f"strichka benchmarks on this machine (python {sys.version.split()[0]})")
    for module, *args in BENCHMARKS:
        done = subprocess.run(
            [sys.executable, "-m", module, *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            print(f"{module} {' '.join(args)}: FAILED\n{done.stderr[-2000:]}")
            continue
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        name = figures.pop("benchmark", module)
        print(f"{name:28} " + "  ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
