"""Starts the desktop app (the wizard is being built; until then this says so and points to the CLI)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print(
        "The desktop wizard is not available in this version yet.\n"
        "The assessment engine is: try\n"
        "  dpia check examples/s1-office-turnstiles.dpia\n"
        "  dpia new --pack cn-frt-2025 -o my-assessment.dpia\n"
        "(from the repository: python3 dev.py dpia check examples/s1-office-turnstiles.dpia)",
        file=sys.stdout,
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
