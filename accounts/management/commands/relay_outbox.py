from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts import outbox


class Command(BaseCommand):
    help = "Send the background tasks still waiting in the outbox (written while the broker was unreachable)."

    def handle(self, *args, **options):
        sent = outbox.relay_all()
        self.stdout.write(
            _("%(sent)d task(s) sent, %(pending)d still pending.") % {"sent": sent, "pending": outbox.pending_count()}
        )
