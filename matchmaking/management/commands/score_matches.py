from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking import services
from matchmaking.models import MatchRun
from needs.models import Need


class Command(BaseCommand):
    help = "Score needs against the startup registry: all needs (a full recompute) or the ones named."

    def add_arguments(self, parser):
        parser.add_argument("--need", action="append", default=[], metavar="REF", help="Score only this need.")
        parser.add_argument("--sync", action="store_true", help="Score here and now instead of on the workers.")

    def handle(self, *args, need: list[str], sync: bool, **options):
        if need:
            found = dict(Need.objects.filter(ref__in=need).values_list("ref", "pk"))
            missing = [ref for ref in need if ref not in found]
            if missing:
                raise CommandError(_("Unknown need: %(refs)s") % {"refs": ", ".join(missing)})
            if sync:
                pairs = services.matches_score_needs(need_ids=list(found.values()))
                self.stdout.write(
                    _("%(pairs)d pairs scored for %(needs)d needs.") % {"pairs": pairs, "needs": len(found)}
                )
            else:
                from accounts import outbox

                with transaction.atomic():
                    for pk in found.values():
                        outbox.enqueue("matchmaking.score_need", {"need_id": pk})
                self.stdout.write(_("%(needs)d needs sent to the workers.") % {"needs": len(found)})
            return
        run = services.matches_recompute_sync() if sync else services.matches_recompute_start()
        run.refresh_from_db()
        state = _("done") if run.status == MatchRun.Status.DONE else _("running on the workers")
        self.stdout.write(
            _("Full recompute %(state)s: %(done)d of %(total)d chunks, %(pairs)d pairs.")
            % {"state": state, "done": run.done_chunks, "total": run.total_chunks, "pairs": run.pairs_scored}
        )
