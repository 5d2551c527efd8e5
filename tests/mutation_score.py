"""Print the mutation score from mutmut's CI/CD statistics (used by ``make mutation``).

Killed counts mutants that a test failed on, plus those that timed out (an endless loop is caught too);
everything else (survived, no tests, suspicious, skipped) counts against the score.
"""

from __future__ import annotations

import json
import sys


def score(stats: dict) -> tuple[int, int, float]:
    """Return (killed, total, percentage) from mutmut's ``mutmut-cicd-stats.json`` fields."""
    killed = int(stats["killed"]) + int(stats.get("timeout", 0))
    total = int(stats["total"])
    return killed, total, (100.0 * killed / total if total else 0.0)


def main(path: str) -> int:
    """Print the score line; exit status 0."""
    with open(path, encoding="utf-8") as f:
        stats = json.load(f)
    killed, total, pct = score(stats)
    keys = ("survived", "no_tests", "suspicious", "skipped", "timeout", "segfault", "check_was_interrupted_by_user")
    others = ", ".join(f"{k} {stats[k]}" for k in keys if k in stats)
    unchecked = total - int(stats["killed"]) - sum(int(stats.get(k, 0)) for k in keys)
    if unchecked:
        others += f", not run {unchecked}"
    print(f"mutation score: {killed} killed / {total} mutants = {pct:.1f}% ({others})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "mutants/mutmut-cicd-stats.json"))
