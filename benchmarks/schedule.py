"""The joint promotion meeting scheduler (matchmaking.scheduling) on generated instances, against the greedy.

    .venv/bin/python benchmarks/schedule.py [--time-limit 60] [--workers 0] [--only small-tight] [--seed 1]

Instances (deterministic, seeded), each in a "normal" and a "tight availability" variant:

    small   40 startups ×  8 units × 16 slots (one day of 16 slots)
    large  200 startups × 20 units × 64 slots (four days of 16 slots)

- availability: each participant is free for a share of the slots drawn from 60–90 % (tight: 25–50 %), the
  rest unavailable in contiguous blocks (a morning away, an afternoon at another event), as people fill in
  such forms;
- requests: 3–5 per startup, to distinct units drawn with Zipf-like popularity (ATLA and the ground staff
  get more than a small bureau), priority must (3) with probability 0.3, otherwise want (1);
- rooms: ⌈0.75 × units⌉ shared rooms (6 and 15). With a table per unit the room constraint could never bind
  (a unit meets one startup at a time anyway); fewer rooms than units is the venue case where it does, and
  it makes the instance harder, not easier.

Per instance it prints phase 1 (priority-weighted meetings: seconds, status, objective, bound), phase 2
(startups' idle slots: seconds, status, objective, bound, gap) and the greedy's meetings and idle slots in
the same run, then checks the issue's targets. Figures: benchmarks/README.md.
"""

import argparse
import math
import random
import sys
import time
from datetime import date
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchmaking.scheduling import OPTIMAL, Participant, Problem, Request, Room, Slot, greedy, solve  # noqa: E402

SLOTS_PER_DAY = 16
PHASE1_TARGET_S = {"small": 1.0, "large": 10.0}
IDLE_GAP_TARGET = 0.05
IDLE_TARGET_S = 60.0

INSTANCES = {
    # name: (startups, units, slots, free share range, seed offset)
    "small": (40, 8, 16, (0.6, 0.9), 0),
    "small-tight": (40, 8, 16, (0.25, 0.5), 1),
    "large": (200, 20, 64, (0.6, 0.9), 2),
    "large-tight": (200, 20, 64, (0.25, 0.5), 3),
}


def make_slots(n: int) -> list[Slot]:
    slots = []
    for i in range(n):
        day, k = divmod(i, SLOTS_PER_DAY)
        minutes = 9 * 60 + 30 * k + (60 if k >= 6 else 0)  # 30-minute slots from 9:00, lunch 12:00–13:00
        start, end = dtime(minutes // 60, minutes % 60), dtime((minutes + 25) // 60, (minutes + 25) % 60)
        slots.append(Slot(f"s{i}", date(2025, 10, 6 + day), start, end))
    return slots


def availability(rng: random.Random, slots: list[Slot], share: tuple[float, float]) -> frozenset:
    """Free for about `share` of the slots, busy in contiguous blocks of 1–6 slots."""
    n = len(slots)
    target = round(n * rng.uniform(*share))
    free = [True] * n
    while sum(free) > target:
        length = rng.randint(1, 6)
        start = rng.randrange(n)
        for i in range(start, min(n, start + length)):
            free[i] = False
    return frozenset(s.id for s, ok in zip(slots, free, strict=True) if ok)


def make_problem(name: str, seed: int) -> Problem:
    n_startups, n_units, n_slots, share, offset = INSTANCES[name]
    rng = random.Random(seed * 1000 + offset)
    slots = make_slots(n_slots)
    startups = [Participant(f"st{i}", availability(rng, slots, share)) for i in range(n_startups)]
    units = [Participant(f"u{j}", availability(rng, slots, share)) for j in range(n_units)]
    popularity = [1 / (j + 1) ** 0.7 for j in range(n_units)]
    requests = []
    for startup in startups:
        chosen: set[str] = set()
        while len(chosen) < rng.randint(3, 5):
            chosen.add(rng.choices(units, popularity)[0].id)
        for unit in sorted(chosen):
            priority = 3 if rng.random() < 0.3 else 1
            origin = rng.choice(["unit", "startup", "score"])
            requests.append(Request(f"r{len(requests)}", startup.id, unit, priority, origin))
    rooms = [Room(f"room{k}") for k in range(math.ceil(0.75 * n_units))]
    return Problem(slots=slots, rooms=rooms, startups=startups, units=units, requests=requests)


def fmt(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def run(name: str, args) -> dict:
    problem = make_problem(name, args.seed)
    started = time.perf_counter()
    base = greedy(problem)
    greedy_s = time.perf_counter() - started
    solution = solve(problem, time_limit_s=args.time_limit, workers=args.workers, seed=args.seed)
    meetings, idle = solution.phases
    total = sum(r.priority for r in problem.requests)
    size = name.split("-")[0]
    checks = {
        "phase1": meetings.status == OPTIMAL and meetings.seconds <= PHASE1_TARGET_S[size],
        "idle": idle.gap is not None
        and idle.gap <= IDLE_GAP_TARGET
        and meetings.seconds + idle.seconds <= IDLE_TARGET_S + 1,
        "≥greedy": meetings.objective >= base.objective,
    }
    return {
        "instance": name,
        "requests": len(problem.requests),
        "weight": total,
        "p1 s": fmt(meetings.seconds, 2),
        "p1": meetings.status,
        "meetings": fmt(meetings.objective),
        "bound": fmt(meetings.bound),
        "placed": len(solution.appointments),
        "p2 s": fmt(idle.seconds, 1),
        "p2": idle.status,
        "idle": fmt(idle.objective),
        "idle bound": fmt(idle.bound),
        "gap %": fmt(None if idle.gap is None else 100 * idle.gap, 1),
        "greedy": fmt(base.objective),
        "greedy placed": len(base.appointments),
        "greedy idle": base.idle,
        "greedy ms": fmt(1000 * greedy_s, 0),
        "Δ %": fmt(100 * (meetings.objective - base.objective) / max(base.objective, 1), 1),
        "targets": " ".join(f"{k}:{'ok' if v else 'MISSED'}" for k, v in checks.items()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for both phases together")
    parser.add_argument("--workers", type=int, default=0, help="CP-SAT workers (0: its default)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", action="append", choices=sorted(INSTANCES), help="run only these (repeatable)")
    args = parser.parse_args()
    rows = [run(name, args) for name in (args.only or INSTANCES)]
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |", flush=True)


if __name__ == "__main__":
    main()
