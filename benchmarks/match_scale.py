"""Scale of the matchmaking services on a generated registry, on a database of its own.

    .venv/bin/python benchmarks/match_scale.py [--startups 10000] [--needs 2000] [--naive-subset 200x200]
        [--seed 7] [--repeats 5] [--no-trace] [--profile]

With DATABASE_URL set, it creates `<name>_scale` on that server and drops it at the end; otherwise it uses a
temporary SQLite file. With REDIS_URL set the shared index goes through that cache (its key is deleted at the
end); Celery is then not eager, which does not matter: the script calls the synchronous services directly.

It generates N startups and M needs with Japanese-like text of realistic length (vocabulary from the concept
dictionary's surface forms mixed with filler; about 20 % of the startups described in English only) and
writes them with bulk_create (the import services, their per-row validation and their scoring triggers are
not what is measured, and bulk_create calls none of them). Then it measures:

    (a) full recompute       matches_recompute_sync(): index build, one scoring pass keeping each need's and each
                             startup's top K, every score replaced in one transaction (COPY on PostgreSQL)
    (b) full recompute again the same: every kept score overwritten, checked identical to (a)
    (c) one need             its text changed, then matches_score_needs(need_ids=[pk]) (median of --repeats)
    (d) one startup          its description changed, then matches_score_startup(startup_id=pk): the shared
                             index catches up incrementally (median of --repeats)
    (e) speed-up             on a subset (--naive-subset NEEDSxSTARTUPS): a plain per-pair Python loop
                             (bigram and concept set overlap, field Jaccard, TRL factor) against the matcher's
                             vectorised score() over the same documents

Seconds come from a first pass (time.perf_counter, max RSS from resource.getrusage after each step) in which
light wrappers also time the stages inside the services (index, need preparation, scoring, top K, rows,
upsert, finish); peak MB from a second pass of (a), (c) and (d) under tracemalloc (tracing slows Python
several-fold; (b) repeats (a)'s work and is not traced again; --no-trace skips the pass).
--profile adds a cProfile of one more full recompute, one need and one startup. Figures: benchmarks/README.md.
"""

import argparse
import contextlib
import cProfile
import functools
import math
import os
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_FULL_S = 30.0
TARGET_ONE_S = 0.3
TARGET_MEMORY_MB = 2000.0  # 2 GB, compared with the process's max RSS (the stricter of the two memory figures)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def max_rss_mb() -> float:
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: kilobytes on Linux, bytes on macOS
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1_000_000


# ---- text generation ------------------------------------------------------------------------------------------


def _is_japanese(form: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in form)


@dataclass
class Vocabulary:
    """The concept dictionary's surface forms, Japanese and English, grouped by tech field."""

    ja: dict[str, list[str]]  # concept id → Japanese forms
    en: dict[str, list[str]]  # concept id → English forms
    by_field: dict[str, list[str]]  # field code → concept ids
    fields_of: dict[str, list[str]]  # concept id → field codes
    concepts: list[str]  # ids with both Japanese and English forms

    @classmethod
    def load(cls) -> "Vocabulary":
        from matchmaking.scoring.concepts import DEFAULT_PATH

        ja, en, by_field, fields_of = {}, {}, defaultdict(list), {}
        for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            cid, codes, ja_label, en_label, forms = cols[0], cols[1], cols[2], cols[3], cols[4]
            surface = [ja_label, en_label, *forms.split("|")]
            ja[cid] = sorted({f for f in surface if f and _is_japanese(f)})
            en[cid] = sorted({f for f in surface if f and f.isascii() and len(f) > 2})
            fields_of[cid] = [code for code in codes.split(",") if code]
            for code in fields_of[cid]:
                by_field[code].append(cid)
        concepts = [cid for cid in ja if ja[cid] and en[cid]]
        by_field = {code: [cid for cid in ids if cid in set(concepts)] for code, ids in by_field.items()}
        return cls(ja, en, {code: ids for code, ids in by_field.items() if ids}, fields_of, concepts)


JA_STARTUP = [
    "{a}と{b}を組み合わせた{c}を開発しています。",
    "当社は{a}の研究開発を行う大学発スタートアップです。",
    "{a}を活用し、{b}の省人化と効率化を実現します。",
    "現在、{a}の実証実験を自治体や民間企業と進めています。",
    "独自の{a}技術により、従来より小型・軽量で低コストな{b}を提供します。",
    "{a}で取得したデータを解析し、現場の意思決定を支援するサービスを展開しています。",
    "{a}の量産に向けて、{b}の信頼性評価と品質管理の体制を整えています。",
    "主な顧客はインフラ事業者と製造業で、{a}の導入実績があります。",
]
JA_FILLER = [
    "顧客の課題に寄り添い、導入から運用まで一貫して支援します。",
    "国内外の研究機関と連携し、製品の信頼性向上に取り組んでいます。",
    "少人数のチームで試作と改良を短い周期で繰り返しています。",
    "2030年までに海外市場への展開を目指しています。",
    "過酷な環境でも安定して動作することを重視した設計です。",
    "既存の設備に後付けでき、特別な工事は必要ありません。",
]
EN_STARTUP = [
    "We develop {a} combined with {b} for {c}.",
    "Our {a} platform helps operators make faster decisions in the field.",
    "The company builds {a} and {b} systems for industrial and public-sector customers.",
    "Field trials of our {a} are under way with several partners.",
    "A proprietary {a} design makes the product smaller, lighter and cheaper than existing {b}.",
    "We are preparing volume production of {a} with a focus on reliability.",
]
EN_FILLER = [
    "The team spun out of a national university research lab.",
    "We support customers from the first pilot to daily operation.",
    "The system runs on rugged hardware and needs no special installation.",
    "Our goal is to reach overseas markets by 2030.",
]
JA_NEED_TITLE = ["{a}を活用した{b}の高度化", "{a}による{place}の状況把握", "{place}での{a}の早期導入", "{a}と{b}の実証"]
JA_NEED_PROBLEM = [
    "{place}では、{a}に関わる作業が人手に頼っており、隊員の負担が大きい。",
    "既存の{a}では探知や識別に時間がかかり、対応が遅れやすい。",
    "夜間や悪天候の下でも、{a}を用いて状況を継続的に把握する手段が必要である。",
    "{place}の周辺で{a}に関する事案が増えており、早い段階で把握したい。",
    "限られた人員で広い範囲を監視するため、{a}と{b}の活用を検討している。",
    "通信が途絶した環境でも{a}を運用できることが求められている。",
]
JA_NEED_CAPABILITY = [
    "{a}により対象を自動で検知し、位置を継続的に追跡できること。",
    "{a}と{b}の情報を統合して一つの画面に表示できること。",
    "隊員が短時間の訓練で{a}を扱えること。",
    "既存の装備と連携でき、{a}のデータを安全に共有できること。",
]
PLACES = ["駐屯地", "基地", "離島", "港湾", "災害現場", "補給処", "演習場", "艦艇", "沿岸部", "山間部"]


def _fill(template: str, words: list[str], rng: random.Random, *, place: bool = False) -> str:
    picks = {key: rng.choice(words) for key in ("a", "b", "c")}
    if place:
        picks["place"] = rng.choice(PLACES)
    return template.format(**picks)


def _text(rng: random.Random, templates, filler, words, target: int, *, place: bool = False, sep: str = "") -> str:
    """Sentences from templates (filled with `words`) and filler until about `target` characters."""
    sentences: list[str] = []
    length = 0
    while length < target:
        template = rng.choice(templates) if rng.random() < 0.75 or not filler else rng.choice(filler)
        sentence = _fill(template, words, rng, place=place)
        sentences.append(sentence)
        length += len(sentence) + len(sep)
    text = sep.join(sentences)
    while len(text) > target + 60 and len(sentences) > 1:  # keep within about the target
        sentences.pop()
        text = sep.join(sentences)
    return text


def _theme(rng: random.Random, vocab: Vocabulary, n: int) -> tuple[str, list[str]]:
    """A main field and n concepts, mostly of that field (real companies and needs are about one thing)."""
    field_code = rng.choice(sorted(vocab.by_field))
    pool = vocab.by_field[field_code]
    chosen = {rng.choice(pool) for _ in range(n)}
    if rng.random() < 0.5:
        chosen.add(rng.choice(vocab.concepts))
    return field_code, sorted(chosen)


@dataclass
class Generated:
    startups: int = 0
    needs: int = 0
    startup_chars: list[int] = field(default_factory=list)
    need_chars: list[int] = field(default_factory=list)
    english: int = 0
    seconds: float = 0.0


def generate(n_startups: int, n_needs: int, *, seed: int) -> Generated:
    """Startups and needs written with bulk_create (no service, so no scoring trigger fires)."""
    from django.db import transaction

    from accounts.services import UNIT_NAMES, organisation_for_unit
    from needs.enums import NeedStatus, Pathway, Visibility
    from needs.models import Need
    from seeds.models import Startup, TechField
    from seeds.prefectures import PREFECTURES
    from seeds.validators import corporate_number_check_digit

    started = time.perf_counter()
    rng = random.Random(seed)
    vocab = Vocabulary.load()
    field_ids = dict(TechField.objects.values_list("code", "pk"))
    codes = sorted(field_ids)
    out = Generated(n_startups, n_needs)
    startups, startup_fields = [], []
    for index in range(n_startups):
        main_field, concepts = _theme(rng, vocab, rng.randint(2, 5))
        english = rng.random() < 0.2
        forms = vocab.en if english else vocab.ja
        words = [form for cid in concepts for form in forms[cid]]
        target = rng.randint(100, 400)
        if english:
            description = _text(rng, EN_STARTUP, EN_FILLER, words, target, sep=" ")[:400]
        else:
            description = _text(rng, JA_STARTUP, JA_FILLER, words, target)[:400]
        technologies = list(dict.fromkeys(rng.choice(forms[rng.choice(concepts)]) for _ in range(rng.randint(2, 6))))
        candidates = [main_field, *(c for cid in concepts for c in vocab.fields_of[cid]), rng.choice(codes)]
        fields = list(dict.fromkeys(c for c in candidates if c in field_ids))[: rng.choice([0, 1, 1, 2, 2, 3])]
        base = f"{780_000_000_000 + index:012d}"
        startup = Startup(
            corporate_number=f"{corporate_number_check_digit(base)}{base}",
            name=f"株式会社スケール{index:05d}",
            name_en=f"Scale {index:05d} Inc.",
            description=description,
            technologies=technologies,
            trl=rng.choice([None, None, *range(1, 10)]),
            prefecture=rng.choice(PREFECTURES)[0],
            founded_year=rng.randint(2005, 2024),
        )
        startup.search_text = startup.build_search_text()
        startups.append(startup)
        startup_fields.append(fields)
        out.startup_chars.append(len(description))
        out.english += english
    units = [organisation_for_unit(code) for code in UNIT_NAMES]
    statuses = [NeedStatus.PUBLISHED] * 6 + [NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.CLOSED]
    pathways = [choice for choice, _label in Pathway.choices]
    needs, need_fields = [], []
    for index in range(n_needs):
        main_field, concepts = _theme(rng, vocab, rng.randint(2, 4))
        words = [form for cid in concepts for form in vocab.ja[cid]]
        target = rng.randint(150, 500)
        title = _fill(rng.choice(JA_NEED_TITLE), words, rng, place=True)[:200]
        capabilities = _text(rng, JA_NEED_CAPABILITY, [], words, max(40, target // 3))
        rest = max(60, target - len(title) - len(capabilities))
        description = _text(rng, JA_NEED_PROBLEM, [], words, rest, place=True)
        candidates = [main_field, *(c for cid in concepts for c in vocab.fields_of[cid]), rng.choice(codes)]
        fields = list(dict.fromkeys(c for c in candidates if c in field_ids))[: rng.randint(1, 3)]
        need = Need(
            ref=f"SC-{index:05d}",
            title=title,
            description=description,
            desired_capabilities=capabilities,
            min_trl=rng.randint(3, 8),
            owner_unit=rng.choice(units),
            pathway=rng.choice(pathways),
            visibility=rng.choice([Visibility.PUBLIC, Visibility.PUBLIC, Visibility.REGISTERED, Visibility.GOVERNMENT]),
            status=rng.choice(statuses),
        )
        need.search_text = need.build_search_text()
        needs.append(need)
        need_fields.append(fields)
        out.need_chars.append(len(title) + len(description) + len(capabilities))
    with transaction.atomic():
        Startup.objects.bulk_create(startups, batch_size=1000)
        Need.objects.bulk_create(needs, batch_size=1000)
        for model, objects, links, column in (
            (Startup, startups, startup_fields, "startup_id"),
            (Need, needs, need_fields, "need_id"),
        ):
            through = model.tech_fields.through
            rows = [
                through(**{column: obj.pk, "techfield_id": field_ids[code]})
                for obj, fields in zip(objects, links, strict=True)
                for code in fields
            ]
            through.objects.bulk_create(rows, batch_size=2000)
    out.seconds = time.perf_counter() - started
    return out


# ---- stage timing -----------------------------------------------------------------------------------------------

STAGES = [
    "index: read startups",
    "index: featurise",
    "index: statistics + matrices",
    "index: cache get/set",
    "needs: read",
    "needs: featurise + query",
    "scoring (sparse products)",
    "top K",
    "floors (aggregate query)",
    "row building",
    "database writes",
    "finish / prune",
]


class Stages:
    """Exclusive time per stage: wrappers around the functions the services call (installed for the whole
    first pass; each costs about a microsecond a call). Time not in any stage is reported as `rest`."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self._stack: list[list] = []
        self._patches: list[tuple[object, str, object]] = []

    def _enter(self, label: str) -> None:
        self._stack.append([label, time.perf_counter(), 0.0])

    def _exit(self) -> None:
        label, start, children = self._stack.pop()
        elapsed = time.perf_counter() - start
        self.totals[label] += elapsed - children
        if self._stack:
            self._stack[-1][2] += elapsed

    def wrap(self, owner: object, name: str, label: str, *, generator: bool = False) -> None:
        original = getattr(owner, name, None)
        if original is None:  # the services changed shape: that stage then shows under `rest`
            return
        stages = self

        if generator:

            @functools.wraps(original)
            def wrapper(*args, **kwargs):
                iterator = original(*args, **kwargs)
                while True:
                    stages._enter(label)
                    try:
                        item = next(iterator)
                    except StopIteration:
                        return
                    finally:
                        stages._exit()
                    yield item

        else:

            @functools.wraps(original)
            def wrapper(*args, **kwargs):
                stages._enter(label)
                try:
                    return original(*args, **kwargs)
                finally:
                    stages._exit()

        self._patches.append((owner, name, original))
        setattr(owner, name, wrapper)

    def install(self) -> None:
        from matchmaking import index as index_module
        from matchmaking import services, top_k
        from matchmaking.scoring import matcher

        self.wrap(index_module, "startup_documents", "index: read startups")
        self.wrap(index_module, "registry_stamp", "index: read startups")
        self.wrap(matcher.MatcherIndex, "__init__", "index: featurise")
        self.wrap(matcher.MatcherIndex, "upsert", "index: featurise")
        self.wrap(matcher.MatcherIndex, "matrices", "index: statistics + matrices")
        self._wrap_cache(index_module)
        self.wrap(services, "need_documents", "needs: read")
        self.wrap(matcher, "prepare_needs", "needs: featurise + query")
        self.wrap(services, "prepare_needs", "needs: featurise + query")
        self.wrap(matcher.MatcherIndex, "_build_query", "needs: featurise + query")
        self.wrap(services, "iter_scores", "scoring (sparse products)", generator=True)
        self.wrap(matcher, "iter_scores", "scoring (sparse products)", generator=True)
        self.wrap(services, "_best_columns", "top K")
        self.wrap(services, "_best_rows", "top K")
        self.wrap(services, "score", "scoring (sparse products)")
        self.wrap(services, "_startup_floors", "floors (aggregate query)")
        self.wrap(services, "_need_floors", "floors (aggregate query)")
        self.wrap(services, "pair_rows", "row building")
        self.wrap(top_k, "value_rows", "row building")
        self.wrap(services, "one_pass_rows", "top K")
        self.wrap(top_k, "iter_scores", "scoring (sparse products)", generator=True)
        self.wrap(services, "upsert_rows", "database writes")
        self.wrap(services, "replace_all_rows", "database writes")
        self.wrap(services, "matches_recompute_finish", "finish / prune")

    def _wrap_cache(self, index_module) -> None:
        stages, real = self, index_module.cache

        class TimedCache:
            def get(self, *args, **kwargs):
                stages._enter("index: cache get/set")
                try:
                    return real.get(*args, **kwargs)
                finally:
                    stages._exit()

            def set(self, *args, **kwargs):
                stages._enter("index: cache get/set")
                try:
                    return real.set(*args, **kwargs)
                finally:
                    stages._exit()

        self._patches.append((index_module, "cache", real))
        index_module.cache = TimedCache()

    def uninstall(self) -> None:
        for owner, name, original in reversed(self._patches):
            setattr(owner, name, original)
        self._patches.clear()

    def take(self) -> dict[str, float]:
        totals, self.totals = dict(self.totals), defaultdict(float)
        return totals


# ---- the measured steps -----------------------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    seconds: float = 0.0
    pairs: int = 0  # pairs scored
    written: int | None = None  # rows upserted
    peak_mb: float | None = None
    max_rss_mb: float = 0.0
    target_s: float | None = None
    note: str = ""
    stages: dict[str, float] = field(default_factory=dict)
    samples: list[float] = field(default_factory=list)


def snapshot() -> list[tuple]:
    from matchmaking.models import MatchScore

    return sorted(MatchScore.objects.values_list("need_id", "startup_id", "score", "components", "pathway_hint"))


def full_recompute() -> tuple[int, int]:
    """(pairs written during the chunks, rows kept after the prune)."""
    from matchmaking.models import MatchScore
    from matchmaking.services import matches_recompute_sync

    run = matches_recompute_sync()
    run.refresh_from_db()
    return run.pairs_scored, MatchScore.objects.count()


def pick(model, n: int, seed: int) -> list[int]:
    from matchmaking.documents import scored_needs

    queryset = scored_needs() if model.__name__ == "Need" else model.objects.all()
    ids = sorted(queryset.values_list("pk", flat=True))
    return random.Random(seed).sample(ids, min(n, len(ids)))


def change_need(pk: int, round_: int) -> None:
    from django.utils import timezone

    from needs.models import Need

    need = Need.objects.get(pk=pk)
    need.description = f"{need.description}追加の要望（{round_}）: 衛星通信と画像認識で遠隔地の状況を把握したい。"
    Need.objects.filter(pk=pk).update(
        description=need.description, search_text=need.build_search_text(), updated_at=timezone.now()
    )


def change_startup(pk: int, round_: int) -> None:
    from django.utils import timezone

    from seeds.models import Startup

    startup = Startup.objects.get(pk=pk)
    added = f"新たに合成開口レーダーの小型衛星データ解析を始めました（{round_}）。"
    startup.description = f"{startup.description[:330]}{added}"
    Startup.objects.filter(pk=pk).update(
        description=startup.description, search_text=startup.build_search_text(), updated_at=timezone.now()
    )


def timed(run, stages: Stages | None):
    if stages:
        stages.take()
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    return result, seconds, (stages.take() if stages else {})


def traced(run) -> float:
    tracemalloc.start()
    try:
        run()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1_000_000


def run_steps(args, stages: Stages) -> list[Step]:
    from matchmaking.documents import scored_needs
    from needs.models import Need
    from seeds.models import Startup

    n_needs, n_startups = scored_needs().count(), Startup.objects.count()
    full = Step("(a) full recompute", target_s=TARGET_FULL_S)
    again = Step("(b) full recompute again", target_s=TARGET_FULL_S)
    one_need = Step(f"(c) one need (median of {args.repeats})", target_s=TARGET_ONE_S)
    one_startup = Step(f"(d) one startup (median of {args.repeats})", target_s=TARGET_ONE_S)
    need_ids = pick(Need, args.repeats, args.seed)
    startup_ids = pick(Startup, args.repeats, args.seed + 1)

    stages.install()
    try:
        log("(a) full recompute …")
        (written, kept), full.seconds, full.stages = timed(full_recompute, stages)
        full.pairs, full.written, full.max_rss_mb = n_needs * n_startups, written, max_rss_mb()
        full.note = f"{written:,} pairs written, {kept:,} rows kept (top {top_k()} per need and per startup)"
        first = snapshot()
        log("(b) full recompute again …")
        (written, kept), again.seconds, again.stages = timed(full_recompute, stages)
        again.pairs, again.written, again.max_rss_mb = n_needs * n_startups, written, max_rss_mb()
        second = snapshot()
        same = "identical" if first == second else f"DIFFERENT ({len(first):,} vs {len(second):,} rows)"
        again.note = f"{written:,} pairs overwritten, {kept:,} rows kept: {same} to (a)"
        del first, second

        for step, ids, change, call, scored in (
            (one_need, need_ids, change_need, _score_need, n_startups),
            (one_startup, startup_ids, change_startup, _score_startup, n_needs),
        ):
            log(f"{step.name} …")
            runs = []
            for round_, pk in enumerate(ids):
                change(pk, round_)
                written, seconds, stage_times = timed(functools.partial(call, pk), stages)
                runs.append((seconds, written, stage_times))
            step.samples = [r[0] for r in runs]
            step.seconds, step.written, step.stages = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
            step.pairs, step.max_rss_mb = scored, max_rss_mb()
            step.note = (
                f"runs in order {', '.join(f'{s:.3f}' for s in step.samples)} s; "
                f"rows written {', '.join(str(r[1]) for r in runs)}"
            )
    finally:
        stages.uninstall()

    if not args.no_trace:
        log("second pass under tracemalloc …")
        full.peak_mb = traced(full_recompute)  # (b) does the same work again: not traced a second time
        for step, ids, change, call in (
            (one_need, need_ids, change_need, _score_need),
            (one_startup, startup_ids, change_startup, _score_startup),
        ):
            peaks = []
            for round_, pk in enumerate(ids):
                change(pk, round_ + 100)
                peaks.append(traced(functools.partial(call, pk)))
            step.peak_mb = max(peaks)
    return [full, again, one_need, one_startup]


def top_k() -> int:
    from matchmaking.services import top_k_setting

    return top_k_setting()


def _score_need(pk: int) -> int:
    from matchmaking.services import matches_score_needs

    return matches_score_needs(need_ids=[pk])


def _score_startup(pk: int) -> int:
    from matchmaking.services import matches_score_startup

    return matches_score_startup(startup_id=pk)


def profile(args) -> None:
    from needs.models import Need
    from seeds.models import Startup

    for name, run in (
        ("full recompute", full_recompute),
        ("one need", functools.partial(_score_need, pick(Need, 1, args.seed + 2)[0])),
        ("one startup", None),
    ):
        if run is None:
            pk = pick(Startup, 1, args.seed + 3)[0]
            change_startup(pk, 999)
            run = functools.partial(_score_startup, pk)
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.runcall(run)
        print(f"\n--- profile: {name} ({time.perf_counter() - start:.2f} s under cProfile) ---")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


# ---- (e) the naive per-pair loop ---------------------------------------------------------------------------------


def naive_speedup(n_needs: int, n_startups: int, seed: int) -> tuple[Step, Step, str]:
    """A plain Python loop over every pair against the matcher's score(), on the same documents. Both sides
    featurise first (not timed in the pair figures): char bigram and concept-id sets for the loop; the index
    and the prepared needs for the matcher."""
    from matchmaking.documents import need_documents, scored_needs, startup_documents
    from matchmaking.scoring.matcher import MatcherIndex, prepare_needs, score
    from matchmaking.scoring.text import char_ngrams, normalise
    from seeds.models import Startup

    rng = random.Random(seed)
    need_ids = sorted(rng.sample(sorted(scored_needs().values_list("pk", flat=True)), n_needs))
    startup_ids = sorted(rng.sample(sorted(Startup.objects.values_list("pk", flat=True)), n_startups))
    needs = need_documents(scored_needs().filter(pk__in=need_ids))
    startups = startup_documents(Startup.objects.filter(pk__in=startup_ids))

    t0 = time.perf_counter()
    index = MatcherIndex(startups)
    index.matrices()
    batch = prepare_needs(needs, index)
    t1 = time.perf_counter()
    block = score(batch, index)
    matcher_s = time.perf_counter() - t1
    matcher_prep = t1 - t0

    dictionary = index.dictionary

    def feats(doc):
        norm = normalise(doc.text)
        return set(char_ngrams(norm, 2)), set(dictionary.mentions(norm)), doc.tech_fields

    t0 = time.perf_counter()
    need_feats = [(*feats(n), n.min_trl) for n in needs]
    startup_feats = [(*feats(s), s.trl) for s in startups]
    t1 = time.perf_counter()
    naive = [[0.0] * len(startups) for _ in needs]
    for i, (n_grams, n_concepts, n_fields, min_trl) in enumerate(need_feats):
        row = naive[i]
        for j, (s_grams, s_concepts, s_fields, trl) in enumerate(startup_feats):
            text = len(n_grams & s_grams) / (math.sqrt(len(n_grams) * len(s_grams)) or 1.0)
            concept = len(n_concepts & s_concepts) / (math.sqrt(len(n_concepts) * len(s_concepts)) or 1.0)
            union = n_fields | s_fields
            fields = len(n_fields & s_fields) / len(union) if union else 0.0
            if min_trl is None:
                factor = 1.0
            elif trl is None:
                factor = 0.8
            else:
                factor = max(0.2, 1.0 - 0.1 * max(min_trl - trl, 0))
            row[j] = factor * (0.2 * text + 0.55 * concept + 0.25 * fields)
    naive_s = time.perf_counter() - t1
    naive_prep = t1 - t0

    pairs = len(needs) * len(startups)
    if block.score.shape != (len(needs), len(startups)):
        raise SystemExit(f"score() returned {block.score.shape}")
    loop = Step(f"(e) naive loop {len(needs)}×{len(startups)}", seconds=naive_s, pairs=pairs, max_rss_mb=max_rss_mb())
    loop.note = f"featurising first: {naive_prep:.2f} s (bigram + concept sets)"
    vectorised = Step(
        f"(e) matcher score() {len(needs)}×{len(startups)}", seconds=matcher_s, pairs=pairs, max_rss_mb=max_rss_mb()
    )
    vectorised.note = f"featurising first: {matcher_prep:.2f} s (index + prepare_needs)"
    ratio = (pairs / matcher_s) / (pairs / naive_s)
    summary = (
        f"speed-up of score() over the naive loop on {len(needs)}×{len(startups)}: ×{ratio:.1f} "
        f"({pairs / matcher_s:,.0f} vs {pairs / naive_s:,.0f} pairs/s); the naive loop would need "
        f"≈ {20_000_000 / (pairs / naive_s):,.0f} s for 2,000 × 10,000 pairs before any write"
    )
    return loop, vectorised, summary


# ---- report -----------------------------------------------------------------------------------------------------


def print_table(steps: list[Step], *, database: str, generated: Generated, summary: str) -> None:
    print(f"\nMatchmaking scale benchmark — {database}")
    ja = generated.startups - generated.english
    print(
        f"{generated.startups:,} startups (descriptions {min(generated.startup_chars)}–{max(generated.startup_chars)} "
        f"chars, mean {statistics.mean(generated.startup_chars):.0f}; {generated.english:,} English-only, "
        f"{ja:,} Japanese), {generated.needs:,} needs (title + description + capabilities "
        f"{min(generated.need_chars)}–{max(generated.need_chars)} chars, mean "
        f"{statistics.mean(generated.need_chars):.0f}); generated and written in {generated.seconds:.1f} s"
    )
    header = (
        f"{'step':<34} {'seconds':>8} {'pairs':>11} {'pairs/s':>11} {'written':>9} {'peak MB':>8} {'max RSS MB':>10} "
        f"{'target':>16} {'result':>6}"
    )
    print(header)
    print("-" * len(header))
    for s in steps:
        peak = "—" if s.peak_mb is None else f"{s.peak_mb:.0f}"
        if s.target_s is None:
            target = result = ""
        else:
            target = f"≤ {s.target_s:g} s, ≤ 2 GB"
            ok = s.seconds <= s.target_s and s.max_rss_mb <= TARGET_MEMORY_MB
            ok = ok and (s.peak_mb is None or s.peak_mb <= TARGET_MEMORY_MB)
            result = "PASS" if ok else "FAIL"
        rate = s.pairs / s.seconds if s.seconds else 0.0
        written = "—" if s.written is None else f"{s.written:,}"
        print(
            f"{s.name:<34} {s.seconds:>8.3f} {s.pairs:>11,} {rate:>11,.0f} {written:>9} {peak:>8} "
            f"{s.max_rss_mb:>10.0f} {target:>16} {result:>6}"
        )
    print()
    for s in steps:
        if s.note:
            print(f"{s.name}: {s.note}")
    print(summary)
    timed_steps = [s for s in steps if s.stages]
    if timed_steps:
        print("\nwhere the time goes (seconds, exclusive; `rest` = everything outside the listed stages)")
        names = [name for name in STAGES if any(name in s.stages for s in timed_steps)]
        print(f"{'stage':<30}" + "".join(f"{s.name[:4]:>10}" for s in timed_steps))
        for name in [*names, "rest"]:
            cells = []
            for s in timed_steps:
                value = s.seconds - sum(s.stages.values()) if name == "rest" else s.stages.get(name, 0.0)
                cells.append(f"{value:>10.3f}")
            print(f"{name:<30}" + "".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--startups", type=int, default=10_000)
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--naive-subset", default="200x200", help="NEEDSxSTARTUPS for (e)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=5, help="needs and startups re-scored for (c) and (d)")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass (peak MB)")
    parser.add_argument("--profile", action="store_true", help="also print cProfiles of (a), (c) and (d)")
    args = parser.parse_args()
    subset_needs, subset_startups = (int(x) for x in args.naive_subset.lower().split("x"))

    temp_dir = None
    if not os.environ.get("DATABASE_URL"):
        temp_dir = tempfile.mkdtemp(prefix="match-scale-")
        os.environ["SQLITE_PATH"] = str(Path(temp_dir) / "scale.sqlite3")  # read by config.env at setup
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from matchmaking import index as index_module

    for name in ("celery", "matchmaking", "needs", "seeds"):
        logging.getLogger(name).setLevel(logging.WARNING)

    old_name = None
    try:
        if temp_dir is None:
            # A database of its own on the same server: `<name>_scale`, created, migrated and dropped here.
            connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{connection.settings_dict['NAME']}_scale"
            old_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
            database = f"{connection.display_name} ({connection.settings_dict['NAME']}, dropped afterwards)"
        else:
            call_command("migrate", verbosity=0)
            database = f"SQLite {connection.Database.sqlite_version} (temporary file)"
        database += f"; cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
        cache.delete(index_module._KEY)

        log(f"generating {args.startups:,} startups and {args.needs:,} needs …")
        generated = generate(args.startups, args.needs, seed=args.seed)
        steps = run_steps(args, Stages())
        log("(e) naive loop and score() on the subset …")
        loop, vectorised, summary = naive_speedup(subset_needs, subset_startups, args.seed)
        print_table([*steps, loop, vectorised], database=database, generated=generated, summary=summary)
        if args.profile:
            profile(args)
    finally:
        with contextlib.suppress(Exception):
            cache.delete(index_module._KEY)
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        if temp_dir is not None:
            connection.close()
            shutil.rmtree(temp_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
