"""Quality of the matcher on a judged set in the match-dev format, next to two baselines, in one run.

    .venv/bin/python benchmarks/match_quality.py --data ../shared/data/match-dev [--per-need]
        [--run-file OUT.csv] [--cv] [--blind] [--ablations] [--tokenizer]

DIR holds seeds.csv (import_seeds format), needs.csv (import_needs format) and qrels.tsv
(`need_ref<TAB>corporate_number<TAB>grade`). The script migrates a fresh temporary SQLite database, imports
both files through the project's own import code (seeds.services.startup_import_file,
needs.services.imports.need_import_file), builds the matcher's documents from the database rows and ranks
every startup for every need. It prints, as mean over the needs:

    nDCG@10       gain = grade (linear), ideal from the need's judged grades
    MRR           reciprocal rank of the first grade-3 startup
    distractors   share of grade-0 startups in the top 10 (lower is better)

for the matcher (matchmaking.scoring, shipped parameters) and for two baselines over the same texts:
BM25 over character bigrams (bm25s) and a plain blend of character 2–3-gram TF-IDF cosine, tech-field
Jaccard and a TRL penalty. `--cv` adds held-out figures: 5-fold cross-validation over needs (leave 5 needs
out), the weights and feature settings chosen by grid search on the other 20 needs each time. `--blind` adds the
blind protocol (matchmaking.scoring.blind): the same folds, each with the dictionary minus every concept whose
forms only the held-out needs contain.
`--run-file` writes need_ref,corporate_number,rank,score for the shared evaluate.py to cross-check.
"""

import argparse
import csv
import itertools
import math
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

K = 10


# ---- loading --------------------------------------------------------------------------------------------------


def setup_django(temp_dir: str) -> None:
    os.environ["SQLITE_PATH"] = str(Path(temp_dir) / "match-quality.sqlite3")  # read by config.env at setup
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def import_data(data: Path) -> None:
    from needs.services.imports import need_import_file
    from seeds.services import startup_import_file

    report = startup_import_file(
        content=(data / "seeds.csv").read_bytes(), filename="seeds.csv", actor=None, dry_run=False
    )
    if not report.ok:
        raise SystemExit(f"seeds.csv was refused: {report.file_error or report.errors[:5]}")
    need_report = need_import_file(
        content=(data / "needs.csv").read_bytes(), filename="needs.csv", actor=None, dry_run=False, publish=False
    )
    if not need_report.ok:
        raise SystemExit(f"needs.csv was refused: {need_report.file_error or need_report.errors[:5]}")


def load_docs():
    """NeedDoc / StartupDoc from the database rows, as the Django layer will build them."""
    from matchmaking.scoring.matcher import need_doc, startup_doc
    from needs.models import Need
    from seeds.models import Startup

    startups = [
        startup_doc(
            s.corporate_number,
            name=s.name,
            name_en=s.name_en,
            description=s.description,
            technologies=s.technologies,
            products=[f"{p.name} {p.description}".strip() for p in s.products.all()],
            tech_fields=[f.code for f in s.tech_fields.all()],
            trl=s.trl,
            designations=[f"{d.program}:{d.cohort}" for d in s.designations.all()],
        )
        for s in Startup.objects.prefetch_related("tech_fields", "designations", "products").order_by(
            "corporate_number"
        )
    ]
    needs = [
        need_doc(
            n.ref,
            title=n.title,
            description=n.description,
            desired_capabilities=n.desired_capabilities,
            tech_fields=[f.code for f in n.tech_fields.all()],
            min_trl=n.min_trl,
            pathway=n.pathway,
        )
        for n in Need.objects.prefetch_related("tech_fields").order_by("ref")
    ]
    return needs, startups


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            qrels.setdefault(row["need_ref"], {})[row["corporate_number"]] = int(row["grade"])
    return qrels


# ---- rankings and metrics -------------------------------------------------------------------------------------


def rank(scores, need_keys, startup_keys) -> dict[str, list[str]]:
    """Best first; ties broken by startup key so that runs are reproducible."""
    import numpy as np

    order_keys = np.arange(len(startup_keys))
    return {ref: [startup_keys[j] for j in np.lexsort((order_keys, -scores[i]))] for i, ref in enumerate(need_keys)}


def summarise(runs, qrels, refs=None) -> dict[str, float]:
    from matchmaking.scoring import metrics

    return metrics.mean(metrics.evaluate(runs, qrels, K), refs)


# ---- baselines ------------------------------------------------------------------------------------------------


def bm25_baseline(needs, startups):
    """BM25 (bm25s, Lucene variant, k1 1.5, b 0.75) over character bigrams of the normalised texts."""
    import bm25s
    import numpy as np

    from matchmaking.scoring.text import char_ngrams, normalise

    retriever = bm25s.BM25()
    retriever.index([list(char_ngrams(normalise(s.text))) for s in startups], show_progress=False)
    return np.vstack([retriever.get_scores(list(char_ngrams(normalise(n.text)))) for n in needs])


def blend_baseline(needs, startups):
    """Plain blend: 0.5 × char 2–3-gram TF-IDF cosine + 0.5 × tech-field Jaccard − 0.1 per TRL level short
    (unknown TRL counts as one level short)."""
    from collections import Counter

    import numpy as np
    import scipy.sparse as sp

    from matchmaking.scoring.text import char_ngrams, normalise

    def grams(text):
        norm = normalise(text)
        return Counter([*char_ngrams(norm, 2), *char_ngrams(norm, 3)])

    vocab: dict[str, int] = {}
    doc_grams = [grams(s.text) for s in startups]
    need_grams = [grams(n.text) for n in needs]
    for counter in doc_grams:
        for g in counter:
            vocab.setdefault(g, len(vocab))
    df = np.zeros(len(vocab))
    for counter in doc_grams:
        for g in counter:
            df[vocab[g]] += 1
    idf = np.log((len(startups) + 1) / (df + 1)) + 1

    def matrix(counters):
        rows, cols, data = [], [], []
        for i, counter in enumerate(counters):
            for g, n in counter.items():
                if g in vocab:
                    rows.append(i)
                    cols.append(vocab[g])
                    data.append((1 + math.log(n)) * idf[vocab[g]])
        m = sp.csr_matrix((data, (rows, cols)), shape=(len(counters), len(vocab)))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sp.diags(1 / norms) @ m

    tfidf = (matrix(need_grams) @ matrix(doc_grams).T).toarray()
    jaccard = np.array(
        [
            [len(n.tech_fields & s.tech_fields) / (len(n.tech_fields | s.tech_fields) or 1) for s in startups]
            for n in needs
        ]
    )
    penalty = np.array(
        [
            [0.0 if n.min_trl is None else 0.1 * (1 if s.trl is None else max(n.min_trl - s.trl, 0)) for s in startups]
            for n in needs
        ]
    )
    return 0.5 * tfidf + 0.5 * jaccard - penalty


# ---- the matcher under a grid of settings (cross-validation) --------------------------------------------------

# One grid for --cv and --blind (a fold's dictionary needs a grid of its own, so it is kept to a few seconds).
INDEX_GRID = {"parent_weight": [0.5, 0.7], "keyword_boost": [2.0]}  # need a new index
QUERY_GRID = {"related_weight": [0.0], "inferred_fields": [0.5, 0.75], "capability_boost": [1.5, 2.0]}
MATURITY_GRID = {"trl_step": [0.1, 0.2], "trl_unknown": [0.7, 0.8, 0.9], "trl_floor": [0.2]}


class FastMetrics:
    """nDCG@10, RR and distractors@10 of every need at once, for a (needs × startups) score array whose
    columns are in key order (ties then go to the lower key, as in rank())."""

    def __init__(self, refs, startup_keys, qrels):
        import numpy as np

        column = {key: j for j, key in enumerate(startup_keys)}
        self.gain = np.zeros((len(refs), len(startup_keys)))
        self.distractor = np.zeros((len(refs), len(startup_keys)), dtype=bool)
        self.idcg = np.zeros(len(refs))
        self.discount = 1 / np.log2(np.arange(2, K + 2))
        for i, ref in enumerate(refs):
            for key, grade in qrels.get(ref, {}).items():
                if key in column:
                    self.gain[i, column[key]] = grade
                    self.distractor[i, column[key]] = grade == 0
            ideal = sorted(qrels.get(ref, {}).values(), reverse=True)[:K]
            self.idcg[i] = sum(g * d for g, d in zip(ideal, self.discount, strict=False)) or 1.0
        self.grade3 = self.gain == 3
        self.positions = np.arange(len(startup_keys))

    def __call__(self, scores):
        import numpy as np

        order = np.argsort(-scores, axis=1, kind="stable")
        top = order[:, :K]
        ndcg = (np.take_along_axis(self.gain, top, 1) * self.discount).sum(1) / self.idcg
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.broadcast_to(self.positions, order.shape), axis=1)
        first = np.where(self.grade3, ranks, len(self.positions)).min(1)
        rr = np.where(first < len(self.positions), 1.0 / (first + 1), 0.0)
        distractors = np.take_along_axis(self.distractor, top, 1).sum(1) / K
        return np.stack([ndcg, rr, distractors])  # (3, needs)


def grid_metrics(needs, startups, qrels, dictionary_path=None):
    """Per-need metrics of the matcher under every setting of the grid: (settings, 3 metrics × needs)."""
    import numpy as np

    from matchmaking.scoring.matcher import (
        DEFAULT_PARAMS,
        RELEVANCE,
        MatcherIndex,
        combine,
        maturity,
        score,
        with_params,
    )
    from matchmaking.scoring.metrics import weight_grid

    refs = [n.key for n in needs]
    evaluate = FastMetrics(refs, [s.key for s in startups], qrels)
    trl = np.array([np.nan if s.trl is None else s.trl for s in startups], dtype=float)
    min_trl = np.array([np.nan if n.min_trl is None else n.min_trl for n in needs], dtype=float)
    settings, results = [], []
    weight_names = [f"w_{name}" for name in RELEVANCE]
    for index_values in itertools.product(*INDEX_GRID.values()):
        index_setting = dict(zip(INDEX_GRID, index_values, strict=True))
        params = replace(DEFAULT_PARAMS, **index_setting)
        index = MatcherIndex(startups, params=params, dictionary_path=dictionary_path)
        for query_values in itertools.product(*QUERY_GRID.values()):
            query_setting = dict(zip(QUERY_GRID, query_values, strict=True))
            block = score(needs, with_params(index, replace(index.params, **query_setting)))
            components = {name: values.astype(float) for name, values in block.components.items()}
            for maturity_values in itertools.product(*MATURITY_GRID.values()):
                maturity_setting = dict(zip(MATURITY_GRID, maturity_values, strict=True))
                components["maturity"] = maturity(trl, min_trl, replace(DEFAULT_PARAMS, **maturity_setting))
                for weights in weight_grid(len(weight_names)):  # steps of 0.1
                    setting = {**index_setting, **query_setting, **maturity_setting,
                               **dict(zip(weight_names, weights, strict=True))}  # fmt: skip
                    settings.append(setting)
                    results.append(evaluate(combine(components, replace(DEFAULT_PARAMS, **setting))))
    return refs, settings, np.array(results)


def choose(settings, results, rows):
    """Best setting on the needs `rows` by mean nDCG@10 + MRR; ties go to the one nearest the shipped
    defaults (then the first)."""
    import numpy as np

    from matchmaking.scoring.matcher import DEFAULT_PARAMS

    objective = np.round(results[:, 0, rows].mean(1) + results[:, 1, rows].mean(1), 6)
    best = np.flatnonzero(objective == objective.max())
    default = asdict(DEFAULT_PARAMS)
    distance = [sum(abs(settings[i][k] - default[k]) for k in settings[i]) for i in best]
    return int(best[int(np.argmin(distance))])


def held_out_figures(refs, held_out, judged):
    return {refs[i]: {"ndcg": held_out[0, i], "rr": held_out[1, i], "distractors": held_out[2, i]} for i in judged}


def cross_validate(needs, startups, qrels, *, folds: int = 5):
    """Leave-5-needs-out: the setting is chosen on 20 needs and measured on the other 5, for each fold;
    held-out figures are the means over all needs of their held-out values (a need's scores depend only on
    the startups and the setting, so a chosen setting's figures on the held-out needs are read off the grid)."""
    import numpy as np

    refs, settings, results = grid_metrics(needs, startups, qrels)
    judged = [i for i, ref in enumerate(refs) if ref in qrels]
    held_out = np.zeros((3, len(refs)))
    chosen = []
    for fold in range(folds):
        test = [i for n, i in enumerate(judged) if n % folds == fold]
        train = [i for i in judged if i not in test]
        best = choose(settings, results, train)
        chosen.append(settings[best])
        held_out[:, test] = results[best][:, test]
    full = choose(settings, results, judged)
    in_sample = {m: float(results[full][n, judged].mean()) for n, m in enumerate(("ndcg", "rr", "distractors"))}
    return held_out_figures(refs, held_out, judged), chosen, settings[full], in_sample, len(settings)


def blind(needs, startups, qrels, *, folds: int = 5, variant: str = "concepts"):
    """The blind protocol (matchmaking.scoring.blind): per fold, the dictionary without the concepts (variant
    "concepts") or the forms ("forms") only the held-out needs could have taught; every need is scored under the
    grid with its own fold's dictionary. The setting for a fold is chosen on the other folds' needs (nested: no
    held-out need's figures choose its weights). Returns held-out figures per need with those settings, the same
    with the shipped setting, the settings chosen, the setting best over all needs under their blind
    dictionaries (what to ship for robustness to unseen vocabulary) and what was removed per fold."""
    import numpy as np

    from matchmaking.scoring import concepts
    from matchmaking.scoring.blind import blind_folds
    from matchmaking.scoring.matcher import DEFAULT_PARAMS, MatcherIndex, score

    judged_needs = [n for n in needs if n.key in qrels]
    refs = [n.key for n in judged_needs]
    shipped = np.zeros((3, len(refs)))
    evaluate = FastMetrics(refs, [s.key for s in startups], qrels)
    removed, fold_tests, blind_results, settings = [], [], None, []
    texts = [n.text for n in judged_needs], [s.text for s in startups]
    with tempfile.TemporaryDirectory() as folder:
        for fold in blind_folds(concepts.load(), *texts, folds=folds):
            path = Path(folder) / f"fold-{fold.number}.tsv"
            kept = fold.concepts if variant == "concepts" else fold.forms_only
            path.write_text(concepts.dump(kept), encoding="utf-8")
            _refs, settings, results = grid_metrics(judged_needs, startups, qrels, dictionary_path=str(path))
            if blind_results is None:
                blind_results = np.zeros_like(results)
            blind_results[:, :, fold.test] = results[:, :, fold.test]
            block = score(judged_needs, MatcherIndex(startups, params=DEFAULT_PARAMS, dictionary_path=str(path)))
            shipped[:, fold.test] = evaluate(block.score)[:, fold.test]
            removed.append(len(fold.removed) if variant == "concepts" else len(fold.unseen))
            fold_tests.append((fold.train, fold.test))
    tuned, chosen = np.zeros((3, len(refs))), []
    for train, test in fold_tests:
        best = choose(settings, blind_results, train)
        tuned[:, test] = blind_results[best][:, test]
        chosen.append(settings[best])
    robust = settings[choose(settings, blind_results, list(range(len(refs))))]
    judged = list(range(len(refs)))
    figures = held_out_figures(refs, tuned, judged), held_out_figures(refs, shipped, judged)
    return *figures, chosen, robust, removed


def dictionary_dropout(needs, startups, qrels, params, fraction: float, draws: int = 5) -> dict[str, float]:
    """Robustness to vocabulary the dictionary lacks: the matcher with `fraction` of the concepts removed at
    random (their forms, and links to them), mean over `draws` seeded draws."""
    import random

    from matchmaking.scoring.concepts import DEFAULT_PATH
    from matchmaking.scoring.matcher import MatcherIndex, score

    lines = [line for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    totals = {"ndcg": 0.0, "rr": 0.0, "distractors": 0.0}
    with tempfile.TemporaryDirectory() as folder:
        for draw in range(draws):
            rng = random.Random(draw)
            kept = [line.split("\t") + [""] * 7 for line in lines if rng.random() >= fraction]
            ids = {cols[0] for cols in kept}
            for cols in kept:
                cols[5] = ",".join(x for x in cols[5].split(",") if x in ids)
                cols[6] = ",".join(x for x in cols[6].split(",") if x in ids)
            path = Path(folder) / f"concepts-{draw}.tsv"
            path.write_text("\n".join("\t".join(cols[:7]) for cols in kept), encoding="utf-8")
            block = score(needs, MatcherIndex(startups, params=params, dictionary_path=str(path)))
            result = summarise(rank(block.score, block.need_keys, block.startup_keys), qrels)
            totals = {k: totals[k] + result[k] / draws for k in totals}
    return totals


# ---- report ---------------------------------------------------------------------------------------------------


def print_row(name: str, result: dict[str, float], extra: str = "") -> None:
    print(f"{name:<44} {result['ndcg']:>8.3f} {result['rr']:>8.3f} {result['distractors']:>12.3f}  {extra}")


def write_run(path: str, block) -> None:
    import numpy as np

    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["need_ref", "corporate_number", "rank", "score"])
        for i, ref in enumerate(block.need_keys):
            order = np.lexsort((np.arange(len(block.startup_keys)), -block.score[i]))
            for position, j in enumerate(order, start=1):
                writer.writerow([ref, block.startup_keys[j], position, f"{block.score[i, j]:.6f}"])


def quiet_logs() -> None:
    """bm25s sets its logger to DEBUG on import, and the import's on-commit scoring tasks log at INFO."""
    import logging

    import bm25s  # noqa: F401 - imported first so that its own setLevel comes before ours

    for name in ("bm25s", "celery", "matchmaking", "needs", "seeds"):
        logging.getLogger(name).setLevel(logging.WARNING)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, type=Path, help="directory in the match-dev format")
    parser.add_argument("--per-need", action="store_true", help="also print each need's figures")
    parser.add_argument("--run-file", help="write the matcher's ranking as need_ref,corporate_number,rank,score")
    parser.add_argument("--cv", action="store_true", help="5-fold cross-validation over needs (held-out figures)")
    parser.add_argument("--blind", action="store_true", help="the blind protocol (held-out needs and dictionary)")
    parser.add_argument("--ablations", action="store_true", help="also score each component alone and variants")
    parser.add_argument("--tokenizer", action="store_true", help="also measure SudachiPy words for the text part")
    args = parser.parse_args()

    temp_dir = tempfile.mkdtemp(prefix="match-quality-")
    try:
        setup_django(temp_dir)
        quiet_logs()
        started = time.perf_counter()
        import_data(args.data)
        needs, startups = load_docs()
        loaded = time.perf_counter() - started
        qrels = load_qrels(args.data / "qrels.tsv")
        run_all(args, needs, startups, qrels, loaded)
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


def run_all(args, needs, startups, qrels, loaded: float) -> None:
    from matchmaking.scoring import concepts as concept_data
    from matchmaking.scoring import metrics
    from matchmaking.scoring.matcher import DEFAULT_PARAMS, MODEL_VERSION, MatcherIndex, score, with_params

    refs = [n.key for n in needs]
    keys = [s.key for s in startups]
    print(f"{len(startups)} startups, {len(needs)} needs, {sum(map(len, qrels.values()))} judgements "
          f"(imported through the project's import code in {loaded:.1f} s)")  # fmt: skip

    t0 = time.perf_counter()
    index = MatcherIndex(startups)
    t1 = time.perf_counter()
    block = score(needs, index)
    t2 = time.perf_counter()
    ours = rank(block.score, block.need_keys, block.startup_keys)

    print(f"\n{'ranker':<44} {'nDCG@10':>8} {'MRR':>8} {'distractors':>12}")
    print("-" * 76)
    bm25 = rank(bm25_baseline(needs, startups), refs, keys)
    print_row("baseline: BM25, character bigrams", summarise(bm25, qrels))
    blend = rank(blend_baseline(needs, startups), refs, keys)
    print_row("baseline: char TF-IDF + field Jaccard + TRL", summarise(blend, qrels))
    print_row(f"matcher {MODEL_VERSION} (in-sample)", summarise(ours, qrels))

    if args.ablations or args.tokenizer:
        print()
    if args.ablations:
        for component in ("text", "concepts", "fields"):
            runs = rank(block.components[component], block.need_keys, block.startup_keys)
            print_row(f"  {component} component alone", summarise(runs, qrels))
        variants = {
            "  without maturity": replace(DEFAULT_PARAMS, trl_step=0.0, trl_unknown=1.0),
            "  without the text component": replace(DEFAULT_PARAMS, w_text=0.0),
            "  without the concept component": replace(DEFAULT_PARAMS, w_concepts=0.0),
            "  without the field component": replace(DEFAULT_PARAMS, w_fields=0.0),
            "  without inferred fields": replace(DEFAULT_PARAMS, inferred_fields=0.0),
            "  without related-concept expansion": replace(DEFAULT_PARAMS, related_weight=0.0),
        }
        for name, params in variants.items():
            variant = score(needs, with_params(index, params))
            print_row(name, summarise(rank(variant.score, refs, keys), qrels))
        for name, params in {
            "  without parent expansion": replace(DEFAULT_PARAMS, parent_weight=0.0),
            "  technologies not boosted": replace(DEFAULT_PARAMS, keyword_boost=1.0),
        }.items():
            variant = score(needs, MatcherIndex(startups, params=params))
            print_row(name, summarise(rank(variant.score, refs, keys), qrels))
        for fraction in (0.3, 0.5):
            for name, params in {
                f"  {fraction:.0%} of concepts dropped (5 draws)": DEFAULT_PARAMS,
                f"  {fraction:.0%} dropped, no text component": replace(
                    DEFAULT_PARAMS, w_text=0.0, w_concepts=DEFAULT_PARAMS.w_concepts + DEFAULT_PARAMS.w_text
                ),
            }.items():
                print_row(name, dictionary_dropout(needs, startups, qrels, params, fraction))
    if args.tokenizer:
        try:
            import sudachipy  # noqa: F401
        except ImportError:
            raise SystemExit("--tokenizer needs the optional extra: .venv/bin/pip install -e '.[tokenizer]'") from None
        tok_params = replace(DEFAULT_PARAMS, tokenizer="sudachi")
        t_tok = time.perf_counter()
        tok_index = MatcherIndex(startups, params=tok_params)
        tok_block = score(needs, tok_index)
        t_tok = time.perf_counter() - t_tok
        print_row("  text component, SudachiPy words", summarise(rank(tok_block.components["text"], refs, keys), qrels))
        print_row(
            "  text component, char bigrams (default)", summarise(rank(block.components["text"], refs, keys), qrels)
        )
        print_row("  matcher with SudachiPy words", summarise(rank(tok_block.score, refs, keys), qrels),
                  f"index + score {t_tok:.2f} s vs {t2 - t0:.2f} s")  # fmt: skip

    if args.cv:
        started = time.perf_counter()
        per, chosen, full, best_in_sample, n_settings = cross_validate(needs, startups, qrels)
        print()
        print_row("matcher, 5-fold CV over needs (held-out)", metrics.mean(per),
                  f"{n_settings} settings, {time.perf_counter() - started:.0f} s")  # fmt: skip
        print_row("matcher, best setting on all needs (in-sample)", best_in_sample)
        print_folds(chosen, per if args.per_need else None, "held-out")
        print(f"  all needs: {format_setting(full)}")
        print(f"  shipped:   {format_setting({k: v for k, v in asdict(DEFAULT_PARAMS).items() if k in full})}")

    if args.blind:
        for variant, what in (("concepts", "concepts"), ("forms", "forms")):
            started = time.perf_counter()
            per, per_shipped, chosen, robust, removed = blind(needs, startups, qrels, variant=variant)
            print()
            print_row(f"matcher, blind, {what} removed (setting chosen)", metrics.mean(per),
                      f"{time.perf_counter() - started:.0f} s")  # fmt: skip
            print_row(f"matcher, blind, {what} removed, shipped setting", metrics.mean(per_shipped))
            size = len(concept_data.load())
            print(f"  {what} removed per fold: {', '.join(map(str, removed))} (dictionary of {size})")
            print_folds(chosen, per if args.per_need else None, f"blind-{variant}")
            print(f"  best on all needs, blind: {format_setting(robust)}")

    if args.per_need:
        per = {
            name: metrics.evaluate(run, qrels, K) for name, run in (("ours", ours), ("bm25", bm25), ("blend", blend))
        }
        print(f"\n{'need':<8} {'ours nDCG':>9} {'RR':>6} {'distr':>6} {'BM25':>7} {'blend':>7}")
        for ref in sorted(qrels):
            o = per["ours"][ref]
            print(f"{ref:<8} {o['ndcg']:>9.3f} {o['rr']:>6.2f} {o['distractors']:>6.1f} "
                  f"{per['bm25'][ref]['ndcg']:>7.3f} {per['blend'][ref]['ndcg']:>7.3f}")  # fmt: skip

    print(f"\ntimings: index of {len(startups)} startups {t1 - t0:.3f} s; scoring {len(needs)} × {len(startups)} "
          f"{t2 - t1:.3f} s")  # fmt: skip
    if args.run_file:
        write_run(args.run_file, block)
        print(f"run written to {args.run_file}")


def print_folds(chosen: list[dict], per_need: dict | None, label: str) -> None:
    for fold, setting in enumerate(chosen):
        print(f"  fold {fold}: {format_setting(setting)}")
    for ref in sorted(per_need or ()):
        figures = per_need[ref]
        print(f"  {label} {ref}  nDCG@10 {figures['ndcg']:.3f}  RR {figures['rr']:.3f}  "
              f"distractors {figures['distractors']:.1f}")  # fmt: skip


def format_setting(setting: dict) -> str:
    from matchmaking.scoring.matcher import RELEVANCE

    order = [*(f"w_{name}" for name in RELEVANCE), *MATURITY_GRID, *INDEX_GRID, *QUERY_GRID]
    return " ".join(f"{k}={setting[k]:g}" for k in order if k in setting)


if __name__ == "__main__":
    main()
