"""How long auditing 10,000 participants takes, against only parsing their JSON.

Both runs start from the same 10,000 generated records files (as text). The
baseline only `json.loads` each one; the audit parses, validates against the
program and evaluates every requirement. Best of several rounds each.

    .venv/bin/python bench/evaluate.py [--participants N] [--rounds R]

Last line: `ratio: X` (audit time / JSON parse time). Target: under 1.5 (issue 14).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time

from timing import best_of

from pathwise.core.audit import evaluate
from pathwise.core.program import ProgramLibrary
from pathwise.core.records import load_records_json

COMPONENTS_ATTEND = ["ORIENT", "MW-CORE-VALUES", "MW-FEEDBACK", "MW-MEETINGS",
                     "MW-FACILITATION", "MW-ONBOARDING", "MW-METRICS", "MW-CHAMPIONS",
                     "MW-CONFLICT", "MW-CODE-OF-CONDUCT", "MW-ROLES", "QSS"]
COURSES = ["CODE", "PBK", "NOC", "COP"]
AS_OF = dt.date(2026, 11, 23)


def generate(rng: random.Random, number: int) -> str:
    enrolled = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 1200))
    records = []
    for _ in range(rng.randrange(5, 30)):
        day = (enrolled + dt.timedelta(days=rng.randrange(0, 800))).isoformat()
        if rng.random() < 0.25:
            records.append({
                "component": rng.choice(COURSES), "offering": f"C{rng.randrange(99)}",
                "date": day,
                "attendance": {"attended": rng.randrange(8, 13), "of": 12},
                "assessments": {"final-deliverable": rng.choice(["passed", "passed", "failed"])},
            })
        elif rng.random() < 0.05:
            records.append({"component": "CAPSTONE", "date": day, "outcome": "passed"})
        else:
            record = {"component": rng.choice(COMPONENTS_ATTEND), "date": day,
                      "outcome": rng.choice(["attended", "attended", "absent"])}
            if record["component"] == "QSS" and rng.random() < 0.3:
                record["role"] = "presenter"
            records.append(record)
    return json.dumps({
        "program": "cscce-cm", "program_version": "2023",
        "participant": {"id": f"P-{number:05d}", "name": f"Participant {number}",
                        "timezone": "Europe/London"},
        "enrolled_on": enrolled.isoformat(),
        "deadline_extended_to": None,
        "records": records,
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(42)
    files = [generate(rng, n) for n in range(args.participants)]
    library = ProgramLibrary.shipped()
    program = library.get("cscce-cm", "2023")
    assert program is not None
    records_total = sum(len(json.loads(f)["records"]) for f in files)

    def parse_only() -> None:
        for text in files:
            json.loads(text)

    def audit() -> None:
        for text in files:
            records = load_records_json(text, source="bench", library=library)
            evaluate(program, records, AS_OF)

    baseline, audited = best_of(args.rounds, parse_only, audit)
    baseline_cpu, audited_cpu = best_of(args.rounds, parse_only, audit, clock=time.process_time)
    n = args.participants
    print(f"participants: {n} ({records_total} records, "
          f"{sum(map(len, files)) / n:.0f} bytes of JSON each)")
    print(f"json.loads only:        {baseline:.3f} s  ({baseline / n * 1e6:.1f} µs each)")
    print(f"parse + validate + audit: {audited:.3f} s  ({audited / n * 1e6:.1f} µs each)")
    print(f"in CPU time (this process only): {audited_cpu / baseline_cpu:.2f}")
    print(f"ratio: {audited / baseline:.2f}")


if __name__ == "__main__":
    main()
