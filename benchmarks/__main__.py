"""`make bench`: runs every benchmarks/bench_*.py (or those named on the command line)."""

import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks.common import setup_django


def main(argv: list[str]) -> None:
    setup_django()
    here = Path(__file__).parent
    names = argv or sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
