from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from demo import meetings, people, registry


class Command(BaseCommand):
    help = "Load the portal's demo data (organisations, one user per role, and each app's demo records)."

    def handle(self, *args, **options):
        with transaction.atomic():
            sign_ins = people.load()
            # After the accounts: the demo startups are claimed by the demo startup organisations.
            startups = registry.load()
            # After the startups: the demo meeting invites some of them and schedules a draft agenda.
            meeting = meetings.load()
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        self.stdout.write(_("%(count)d demo startups in the registry.") % {"count": startups})
        if meeting is not None:
            self.stdout.write(
                _("Demo joint promotion meeting scheduled: %(count)d appointments.")
                % {"count": meeting.appointments.count()}
            )
        self.stdout.write(_("Demo sign-ins (password: %(password)s):") % {"password": people.DEMO_PASSWORD})
        for email, role, codes in sign_ins:
            self.stdout.write(f"  {email:<28} {role}")
            if codes:
                # Government accounts pass two-step verification: any of these one-time codes does, once.
                self.stdout.write("    " + _("recovery codes: %(codes)s") % {"codes": " ".join(codes[:5])})
