from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts import audit
from core.tabular import CsvWriter
from matchmaking.models import MatchScore
from matchmaking.scoring.matcher import COMPONENTS


class Command(BaseCommand):
    help = "Write the stored matches as CSV: need_ref,corporate_number,rank,score, then one column per component."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument("--top", type=int, default=None, help="Only the N best startups of each need.")

    def handle(self, *args, out: Path, top: int | None, **options):
        rows = (
            MatchScore.objects.select_related("need", "startup")
            .order_by("need__ref", "-score", "startup__corporate_number")
            .values_list("need__ref", "startup__corporate_number", "score", "components")
        )
        written = 0
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = CsvWriter(handle)  # no byte-order mark: a stable interface (DESIGN.md §6) read by programs
            writer.writerow(["need_ref", "corporate_number", "rank", "score", *COMPONENTS])
            current, rank = None, 0
            for ref, number, score, components in rows.iterator(chunk_size=5000):
                rank = rank + 1 if ref == current else 1
                current = ref
                if top is not None and rank > top:
                    continue
                # A Decimal: written as the number it is, with six places as always.
                score_cell = Decimal(f"{score:.6f}")
                writer.writerow([ref, number, rank, score_cell, *(components.get(name, "") for name in COMPONENTS)])
                written += 1
        audit.record(None, audit.Action.EXPORT, MatchScore, note=f"export_matches {out} --top {top}: {written} rows")
        self.stdout.write(_("%(rows)d rows written to %(path)s.") % {"rows": written, "path": out})
