"""Writing score rows fast: a full recompute keeps ~600,000 pairs (top K of 2,000 needs and of 10,000 startups),
so rows are plain tuples (no model instances) and PostgreSQL takes them through COPY into a staging table and
one INSERT … ON CONFLICT, instead of bulk_create's parameter lists. Other databases use bulk_create."""

import json

import numpy as np
from django.db import connection
from django.utils import timezone

from config import page_cache
from matchmaking.models import MatchScore
from matchmaking.scoring.matcher import MODEL_VERSION, ScoreBlock, pathway_hint

COMPONENT_DIGITS = 4
COLUMNS = (
    "need_id",
    "startup_id",
    "score",
    "components",
    "pathway_hint",
    "pathway_reason",
    "model_version",
    "computed_at",
)
UPDATED = COLUMNS[2:]


def pair_rows(block: ScoreBlock, pairs, docs) -> list[tuple]:
    """One tuple per (need row, startup row) position of the block: see value_rows()."""
    pairs = list(pairs)
    rows_i = np.fromiter((i for i, _j in pairs), dtype=np.intp, count=len(pairs))
    cols_j = np.fromiter((j for _i, j in pairs), dtype=np.intp, count=len(pairs))
    need_keys = np.array(block.need_keys, dtype=object)[rows_i]
    startup_keys = np.array(block.startup_keys, dtype=object)[cols_j]
    components = {name: values[rows_i, cols_j] for name, values in block.components.items()}
    return value_rows(need_keys, startup_keys, block.score[rows_i, cols_j], components, docs)


def value_rows(need_keys, startup_keys, scores, components: dict, docs) -> list[tuple]:
    """Row tuples in COLUMNS order from parallel arrays (need key, startup key, score, each component), sorted
    by (need, startup) so that concurrent writers lock rows in the same order. `components` becomes JSON
    text. Vectorised: a full recompute builds ~600,000 of these."""
    need_docs, startup_docs = docs
    now = timezone.now()
    need_ids = np.array([int(key) for key in need_keys], dtype=np.int64)
    startup_ids = np.array([int(key) for key in startup_keys], dtype=np.int64)
    order = np.lexsort((startup_ids, need_ids))
    rounded_scores = np.round(np.asarray(scores, dtype=np.float64)[order], 6).tolist()
    names = list(components)
    template = "{" + ", ".join(f'"{name}": %r' for name in names) + "}"  # repr of a finite float is JSON
    columns = [np.round(np.asarray(components[name], dtype=np.float64)[order], COMPONENT_DIGITS) for name in names]
    texts = [template % values for values in zip(*(column.tolist() for column in columns), strict=True)]
    hints: dict[tuple, tuple[str, str]] = {}  # a hint depends on the need and the startup's TRL only
    rows = []
    for n, (need_id, startup_id) in enumerate(zip(need_ids[order].tolist(), startup_ids[order].tolist(), strict=True)):
        need, startup = need_docs[str(need_id)], startup_docs[str(startup_id)]
        hint = hints.get((need_id, startup.trl))
        if hint is None:
            hint = hints[(need_id, startup.trl)] = pathway_hint(need, startup)
        rows.append((need_id, startup_id, rounded_scores[n], texts[n], *hint, MODEL_VERSION, now))
    return rows


def replace_all_rows(rows: list[tuple]) -> None:
    """Every score replaced by these rows (a full recompute in one transaction: readers see the old set until
    it commits). PostgreSQL: one COPY straight into the table, no conflict handling needed."""
    page_cache.bump("matches")
    MatchScore.objects.all().delete()
    if connection.vendor != "postgresql":
        MatchScore.objects.bulk_create([_instance(row) for row in rows], batch_size=2000)
        return
    table = connection.ops.quote_name(MatchScore._meta.db_table)
    with connection.cursor() as cursor:
        # The recompute can always be run again: its commit need not wait for the WAL flush.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
    statement = f"COPY {table} ({', '.join(COLUMNS)}, reasons) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((*row, "[]"))


def upsert_rows(rows: list[tuple]) -> None:
    """Insert or overwrite rows keyed by (need, startup). Call inside a transaction."""
    if not rows:
        return
    page_cache.bump("matches")
    if connection.vendor == "postgresql":
        _copy_upsert(rows)
        return
    MatchScore.objects.bulk_create(
        [_instance(row) for row in rows],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["need", "startup"],
        update_fields=[name.removesuffix("_id") for name in UPDATED],
    )


def _instance(row: tuple) -> MatchScore:
    values = dict(zip(COLUMNS, row, strict=True))
    values["components"] = json.loads(values["components"])
    return MatchScore(**values)


def _copy_upsert(rows: list[tuple]) -> None:
    table = connection.ops.quote_name(MatchScore._meta.db_table)
    columns = ", ".join(COLUMNS)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in UPDATED)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS match_stage (need_id bigint, startup_id bigint, score double precision,"
            " components jsonb, pathway_hint varchar(30), pathway_reason varchar(40), model_version varchar(40),"
            " computed_at timestamptz) ON COMMIT DELETE ROWS"
        )
        with cursor.cursor.copy(f"COPY match_stage ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        # Identifiers only from the model's own metadata and the constants above: nothing user-supplied.
        insert = (
            f"INSERT INTO {table} ({columns}, reasons) SELECT {columns}, '[]'::jsonb FROM match_stage"  # noqa: S608
            f" ORDER BY need_id, startup_id ON CONFLICT (need_id, startup_id) DO UPDATE SET {updates}"
        )
        cursor.execute(insert)
        cursor.execute("TRUNCATE match_stage")
