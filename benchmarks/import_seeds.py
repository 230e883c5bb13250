"""Benchmark of the startup import (`seeds.services.startup_import_file`), on a database of its own.

    .venv/bin/python benchmarks/import_seeds.py [--rows 10000] [--profile]

With DATABASE_URL set, it creates `<name>_bench` on that server and drops it at the end; otherwise it uses a
temporary SQLite file. It generates N valid rows in the import format as an in-memory UTF-8 CSV and times:

    baseline   dry run on an empty registry: reading, validating and planning only (nothing written)
    import     the real import: every row created
    re-import  the same file again: every row unchanged
    update     a file with every description changed: every row updated

The four phases run in two passes: the first timed (time.perf_counter, no tracing; max RSS from
resource.getrusage read after each phase), the second, on an emptied registry, under tracemalloc for each
phase's peak Python memory. --profile adds a third pass under cProfile. Figures: benchmarks/README.md.
"""

import argparse
import cProfile
import csv
import io
import os
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TECHNOLOGIES = [
    "画像認識", "LiDAR", "SLAM", "群制御", "量子センサ", "光通信", "ローカル5G", "異常検知", "全固体電池",
    "燃料電池", "金属積層造形", "複合材料", "赤外線カメラ", "ミリ波レーダー", "水中音響", "衛星データ解析",
    "digital twin", "synthetic data", "edge AI", "zero trust", "exoskeleton", "VR training",
]  # fmt: skip
SURNAMES = ["アオ", "ミドリ", "アカ", "シロ", "クロ", "ソラ", "ウミ", "ヤマ", "カワ", "モリ", "ホシ", "ツキ"]
SUFFIXES = ["テック", "ロボティクス", "ラボ", "システムズ", "センシング", "ダイナミクス", "エナジー", "ワークス"]
PROGRAMS = ["jstartup", "jstartup_local", "jva", "fastar", "subsidy", "prize_rd", "vc_referral"]


@dataclass
class Result:
    phase: str
    rows: int
    seconds: float = 0.0
    peak_mb: float = 0.0
    max_rss_mb: float = 0.0
    report: str = ""


def corporate_number(index: int) -> str:
    from seeds.validators import corporate_number_check_digit

    base = f"{790_000_000_000 + index:012d}"  # a range no demo or test data uses
    return f"{corporate_number_check_digit(base)}{base}"


def make_csv(rows: int, *, seed: int = 2024, description_suffix: str = "") -> bytes:
    """N valid rows in the import format (seeds.importing.IMPORT_COLUMNS), as UTF-8 CSV bytes."""
    from seeds.importing import IMPORT_COLUMNS
    from seeds.models import TechField
    from seeds.prefectures import PREFECTURES

    tech_fields = list(TechField.objects.values_list("code", flat=True))
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(IMPORT_COLUMNS)
    for index in range(rows):
        name = f"{rng.choice(SURNAMES)}{rng.choice(SUFFIXES)}{index}"
        technologies = rng.sample(TECHNOLOGIES, rng.randint(2, 5))
        designations = {f"{program}:{rng.randint(2015, 2024)}" for program in rng.sample(PROGRAMS, rng.randint(0, 2))}
        writer.writerow(
            [
                corporate_number(index),
                f"株式会社{name}",
                f"Bench {index} Inc.",
                f"{'・'.join(technologies)}を用いた製品を開発するベンチマーク用の架空企業です。{description_suffix}",
                ";".join(technologies),
                ";".join(rng.sample(tech_fields, rng.randint(1, 3))),
                rng.choice(["", *map(str, range(2, 10))]),
                ";".join(sorted(designations)),
                rng.choice(PREFECTURES)[0],
                rng.randint(2010, 2024),
                rng.randint(3, 300),
                f"https://bench-{index}.example.jp",
            ]
        )
    return out.getvalue().encode("utf-8")


def max_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1_000_000


def run_phase(phase: str, content: bytes, *, dry_run: bool, mode: str) -> tuple[float, float, str]:
    """One import of `content`; returns (seconds, peak traced MB, report). `mode`: time, memory or profile."""
    from seeds.services import startup_import_file

    def run():
        return startup_import_file(content=content, filename="bench.csv", actor=None, dry_run=dry_run)

    peak = 0
    if mode == "memory":
        tracemalloc.start()
    profiler = cProfile.Profile() if mode == "profile" else None
    start = time.perf_counter()
    report = profiler.runcall(run) if profiler else run()
    seconds = time.perf_counter() - start
    if mode == "memory":
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    if profiler:
        print(f"\n--- profile: {phase} ({seconds:.1f} s under cProfile) ---")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    if not report.ok:
        raise SystemExit(f"the import refused the file: {report.file_error or report.errors[:3]}")
    counts = report.summary()
    summary = f"{counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
    return seconds, peak / 1_000_000, f"dry run: {summary}" if dry_run else summary


def run_all(rows: int, *, profile: bool) -> list[Result]:
    """Pass 1 times the four phases (and reads max RSS after each); pass 2, on an emptied registry, repeats
    them under tracemalloc for their peak memory, so that tracing neither slows nor swells pass 1."""
    from seeds.models import Startup

    content = make_csv(rows)
    changed = make_csv(rows, description_suffix="改訂版。")
    phases = [("baseline", content, True), ("import", content, False), ("re-import", content, False)]
    phases.append(("update", changed, False))
    results = {name: Result(name, rows) for name, _content, _dry_run in phases}
    run_phase("warm-up", make_csv(20), dry_run=True, mode="time")  # warm up: imports, regexes, translation catalogues
    for mode in ["time", "memory", *(["profile"] if profile else [])]:
        Startup.objects.all().delete()
        for name, data, dry_run in phases:
            seconds, peak_mb, report = run_phase(name, data, dry_run=dry_run, mode=mode)
            if mode == "time":
                results[name].seconds, results[name].max_rss_mb, results[name].report = seconds, max_rss_mb(), report
            elif mode == "memory":
                results[name].peak_mb = peak_mb
    print(f"CSV: {len(content) / 1_000_000:.1f} MB")
    return list(results.values())


def print_table(results: list[Result], *, database: str) -> None:
    baseline = results[0].seconds
    print(f"\nStartup import benchmark — {database}")
    header = f"{'phase':<10} {'rows':>7} {'seconds':>8} {'rows/s':>9} {'peak MB':>8} {'× base':>7} {'max RSS MB':>10}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.phase:<10} {r.rows:>7} {r.seconds:>8.2f} {r.rows / r.seconds:>9.0f} {r.peak_mb:>8.1f} "
            f"{r.seconds / baseline:>7.2f} {r.max_rss_mb:>10.1f}   {r.report}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="Also print a cProfile of the import phases.")
    args = parser.parse_args()

    temp_dir = None
    if not os.environ.get("DATABASE_URL"):
        temp_dir = tempfile.mkdtemp(prefix="import-bench-")
        os.environ["SQLITE_PATH"] = str(Path(temp_dir) / "bench.sqlite3")  # read by config.env at setup
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    old_name = None
    try:
        if temp_dir is None:
            # A database of its own on the same server: `<name>_bench`, created, migrated and dropped here.
            connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{connection.settings_dict['NAME']}_bench"
            old_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
            database = f"{connection.display_name} ({connection.settings_dict['NAME']}, dropped afterwards)"
        else:
            call_command("migrate", verbosity=0)
            database = f"SQLite {connection.Database.sqlite_version} (temporary file)"

        print_table(run_all(args.rows, profile=args.profile), database=database)
    finally:
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        if temp_dir is not None:
            connection.close()
            shutil.rmtree(temp_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
