"""Forms of the proposal, evaluation and results pages: they parse and check input; the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.params import CheckedModelMultipleChoiceField
from needs.attachments import attachments_check
from needs.enums import Criterion, ProposalStatus, RejectionReason
from needs.form_fields import MultipleFileField
from needs.models import Proposal
from needs.services.proposals import PROPOSAL_FIELDS

S = ProposalStatus
TRL_CHOICES = [("", "—"), *((level, str(level)) for level in range(1, 10))]
SCORE_CHOICES = [(score, str(score)) for score in range(1, 6)]
# What a button that moves a proposal says, by the status it moves to.
ACTION_LABELS = {
    S.SUBMITTED: pgettext_lazy("proposal action", "Submit"),
    S.UNDER_REVIEW: pgettext_lazy("proposal action", "Start the review"),
    S.SHORTLISTED: pgettext_lazy("proposal action", "Shortlist"),
    S.PITCH: pgettext_lazy("proposal action", "Invite to pitch"),
    S.SELECTED: pgettext_lazy("proposal action", "Select"),
    S.CONTRACTED: pgettext_lazy("proposal action", "Record the contract"),
    S.REJECTED: pgettext_lazy("proposal action", "Do not select"),
    S.WITHDRAWN: pgettext_lazy("proposal action", "Withdraw"),
}
# Statuses a reviewer or the owning unit can move several proposals to at once.
BULK_TARGETS = [S.UNDER_REVIEW, S.SHORTLISTED, S.PITCH, S.SELECTED, S.CONTRACTED, S.REJECTED]


def internal_comment_field() -> forms.CharField:
    """A move's comment: the government side's note, which no page or e-mail of the startup shows."""
    return forms.CharField(
        label=_("Internal comment — never shown to the startup"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the owning unit, the reviewers and the evaluators; kept in the proposal's history."),
    )


def feedback_field(label=None) -> forms.CharField:
    """What the startup is told with a rejection, on the proposal's page and in its e-mail."""
    return forms.CharField(
        label=label or _("Feedback to the startup"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The startup reads this with the reason, on the proposal's page and in its e-mail."),
    )


class ProposalForm(forms.ModelForm):
    """The proposal's text and cost, and new attachments: every file is checked by its content here, before
    anything is saved, so that one bad file saves nothing."""

    current_trl = forms.TypedChoiceField(
        label=_("Current TRL"),
        choices=TRL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Technology readiness level, 1 (basic principles) to 9 (proven in operation)."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_("PDF, Word (DOCX) or PowerPoint (PPTX), up to 20 MB each. You can choose several files."),
    )

    class Meta:
        model = Proposal
        fields = PROPOSAL_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "technical_approach": forms.Textarea(attrs={"rows": 8}),
            "schedule": forms.Textarea(attrs={"rows": 4}),
            "cost_min_yen": forms.NumberInput(attrs={"min": 0, "step": 1000}),
            "cost_max_yen": forms.NumberInput(attrs={"min": 0, "step": 1000}),
        }
        help_texts = {
            "summary": _("What you propose for this need, in a few paragraphs."),
            "schedule": _("Milestones from contract to delivery, e.g. PoC in 6 months, field trial in 12."),
            "cost_min_yen": _("Yen, tax excluded."),
            "cost_max_yen": _("Yen, tax excluded."),
        }

    def clean_attachments(self):
        return attachments_check(self.cleaned_data.get("attachments"))

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("cost_min_yen"), cleaned.get("cost_max_yen")
        if low is not None and high is not None and low > high:
            self.add_error("cost_max_yen", _("The upper cost must not be below the lower one."))
        return cleaned

    def proposal_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROPOSAL_FIELDS}


def initial_from_startup(startup) -> dict:
    """A new proposal's text from the company profile, so that the same capability text serves several needs."""
    return {
        "summary": startup.description,
        "technical_approach": "\n".join(startup.technologies),
        "current_trl": startup.trl,
    }


def initial_from_proposal(proposal: Proposal) -> dict:
    return {name: getattr(proposal, name) for name in PROPOSAL_FIELDS}


class TransitionForm(forms.Form):
    """One move of a proposal (the buttons of the detail and ranking pages post here)."""

    to = forms.ChoiceField(choices=[(status, status) for status in S.values if status != S.DRAFT])
    comment = internal_comment_field()
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *RejectionReason.choices], required=False)
    feedback = feedback_field()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") == S.REJECTED and not cleaned.get("reason"):
            self.add_error("reason", _("Choose the reason for not selecting the proposal."))
        return cleaned


class CommentForm(forms.Form):
    """The optional internal comment shown with the move buttons of a proposal (to the government side only)."""

    comment = internal_comment_field()


class RejectionForm(forms.Form):
    """What the "do not select" form shows; TransitionForm parses what it posts."""

    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *RejectionReason.choices])
    feedback = feedback_field()
    comment = internal_comment_field()


class BulkTransitionForm(forms.Form):
    proposals = CheckedModelMultipleChoiceField(
        queryset=Proposal.objects.none(), error_messages={"required": _("Tick at least one proposal.")}
    )
    to = forms.ChoiceField(label=_("Move to"), choices=[("", "—"), *((s, S(s).label) for s in BULK_TARGETS)])
    comment = internal_comment_field()
    reason = forms.ChoiceField(
        label=_("Reason (when not selected)"), choices=[("", "—"), *RejectionReason.choices], required=False
    )
    feedback = feedback_field(_("Feedback to the startups (when not selected)"))

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") == S.REJECTED and not cleaned.get("reason"):
            self.add_error("reason", _("Choose the reason for not selecting the proposals."))
        return cleaned


class EvaluatorChoiceField(CheckedModelMultipleChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.organisation})"


class EvaluatorsForm(forms.Form):
    evaluators = EvaluatorChoiceField(
        label=_("Evaluators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Government users of the owning unit or of ATLA, and MOD reviewers."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = candidates


class EvaluationForm(forms.Form):
    """A score from 1 (poor) to 5 (excellent) on each criterion, as a group of radio buttons, and a comment."""

    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scores = {
            criterion: forms.TypedChoiceField(
                label=Criterion(criterion).label,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Give a score from 1 to 5.")},
            )
            for criterion in Criterion.values
        }
        self.fields = {**scores, "comment": self.fields["comment"]}

    def scores(self) -> dict[str, int]:
        return {criterion: self.cleaned_data[criterion] for criterion in Criterion.values}


class ConflictForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: you advise the company, or hold shares in it."),
    )


class WeightsForm(forms.Form):
    """The weight of each criterion in a need's ranking; numbers of 0 or more, at least one above 0."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in Criterion.values:
            self.fields[criterion] = forms.DecimalField(
                label=Criterion(criterion).label,
                min_value=0,
                max_value=100,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": 0}),
            )

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(criterion) for criterion in Criterion.values]
        if all(value is not None for value in values) and not any(values):
            raise ValidationError(_("Give at least one criterion a weight above 0."))
        return cleaned

    def weights(self) -> dict[str, float]:
        return {criterion: float(self.cleaned_data[criterion]) for criterion in Criterion.values}

    @staticmethod
    def initial_for(need) -> dict:
        return {criterion: need.criterion_weights.get(criterion, 1) for criterion in Criterion.values}


class FieldGroup:
    """Some of a form's fields, for templates/includes/form.html (e.g. a bulk form's controls, its checkboxes
    being in a table)."""

    def __init__(self, form: forms.Form, names: list[str]):
        self.form, self.names = form, names

    def visible_fields(self):
        return [self.form[name] for name in self.names]

    def hidden_fields(self):
        return []

    def non_field_errors(self):
        return self.form.non_field_errors()
