from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Needs")

    def ready(self):
        from accounts import audit
        from core.params import parse_id
        from needs.models import Evaluation, Need, NeedAttachment, Proposal, ProposalAttachment
        from needs.rules import need_visibility_q, proposal_visibility_q

        def reader(model, parent, visibility_q, via: str = ""):
            """The ids among `ids` of `model` rows whose `parent` (the row, or its `via` field) `user` may see."""

            def visible_ids(user, ids: set[str]) -> set[str]:
                pks = [pk for pk in map(parse_id, ids) if pk is not None]
                shown = parent.objects.filter(visibility_q(user))
                rows = model.objects.filter(pk__in=pks).filter(**{f"{via or 'pk'}__in": shown.values("pk")})
                return {str(pk) for pk in rows.values_list("pk", flat=True)}

            return visible_ids

        # The audit trail shows the title, changes and note of a need's or a proposal's entry (or of what hangs on
        # them, whose notes name them) only to whom their rules show them.
        audit.register_reader("needs.need", reader(Need, Need, need_visibility_q))
        audit.register_reader("needs.needattachment", reader(NeedAttachment, Need, need_visibility_q, "need"))
        audit.register_reader("needs.proposal", reader(Proposal, Proposal, proposal_visibility_q))
        for model in (ProposalAttachment, Evaluation):
            audit.register_reader(
                f"needs.{model._meta.model_name}", reader(model, Proposal, proposal_visibility_q, "proposal")
            )
