"""`meetings/`, `meetings/{id}/schedule/` and `meetings/{id}/agenda/` (DESIGN.md §6).

Admins see every meeting; a startup's (or VC's) members the meetings it is invited to; unit staff the meetings
their unit attends (`selectors.meetings_visible_q`); METI curators every meeting, read-only; anyone else gets
404 for a meeting id. Scheduling is for admins (403 for the others). The agenda: the whole meeting for admins
(and, as JSON only, for curators), a participant's own appointments for that participant; JSON, or a file with
`?format=xlsx|csv|pdf|ics`.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.rules import is_portal_admin
from core.params import parse_id
from matchmaking.meetings import selectors
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.exports import FORMATS, export_agenda
from matchmaking.meetings.scheduling import schedule_enqueue
from matchmaking.models import Appointment, JointMeeting, MeetingDay, ScheduleRun
from matchmaking.rules import shown_need


class FileRenderer(renderers.BaseRenderer):
    """Lets `?format=` choose an agenda file; the view returns the file's bytes itself."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


def _file_renderer(fmt: str) -> type[FileRenderer]:
    media_type = FORMATS[fmt][0].split(";")[0]
    return type(f"{fmt.title()}AgendaRenderer", (FileRenderer,), {"format": fmt, "media_type": media_type})


AGENDA_RENDERERS = [renderers.JSONRenderer, *(_file_renderer(fmt) for fmt in FORMATS)]


class MeetingDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingDay
        fields = ["date", "opens_at", "closes_at"]


class MeetingSerializer(serializers.ModelSerializer):
    days = MeetingDaySerializer(many=True, read_only=True)
    invitation_count = serializers.IntegerField(read_only=True)
    accepted_count = serializers.IntegerField(read_only=True)
    unit_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = JointMeeting
        fields = [
            "id",
            "number",
            "title",
            "title_en",
            "kind",
            "status",
            "venue",
            "online_url",
            "slot_minutes",
            "breaks",
            "reply_by",
            "days",
            "invitation_count",
            "accepted_count",
            "unit_count",
        ]
        read_only_fields = fields


class PartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class AppointmentSerializer(serializers.ModelSerializer):
    invitation = serializers.IntegerField(source="invitation_id")
    invitee = serializers.SerializerMethodField()
    unit = PartySerializer()
    room = serializers.CharField(source="room.name")
    need = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = ["id", "starts_at", "ends_at", "room", "invitation", "invitee", "unit", "need", "locked"]
        read_only_fields = fields

    def get_invitee(self, appointment) -> dict:
        invitee = appointment.invitation.startup or appointment.invitation.organisation
        data = {"id": invitee.pk, "name": invitee.name, "name_en": invitee.name_en}
        if appointment.invitation.startup_id:
            data["corporate_number"] = invitee.corporate_number
        return data

    def get_need(self, appointment) -> dict | None:
        """The request's need, or null when the caller may not see it (no request in the context: anyone)."""
        need = appointment.request.need if appointment.request_id else None
        need = shown_need(getattr(self.context.get("request"), "user", None), need)
        return {"id": need.pk, "ref": need.ref, "title": need.title} if need else None


class AgendaSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    status = serializers.CharField()
    version = serializers.IntegerField(help_text=_("Published version number; 0 while the agenda is a draft"))
    participant = serializers.CharField(allow_null=True, help_text=_("Whose agenda; null: the whole meeting"))
    appointments = AppointmentSerializer(many=True)


class ScheduleRunSerializer(serializers.ModelSerializer):
    run = serializers.IntegerField(source="pk")

    class Meta:
        model = ScheduleRun
        fields = [
            "run",
            "status",
            "solver_status",
            "objective",
            "bound",
            "gap",
            "idle_slots",
            "placed",
            "unplaced",
            "seconds",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Joint promotion meetings the caller takes part in (admins and METI curators: all), newest first."""

    serializer_class = MeetingSerializer
    queryset = JointMeeting.objects.none()  # for the schema; requests use get_queryset
    filter_backends: list = []
    lookup_value_regex = "[0-9]+"  # anything else is a 404 from the router, not a failed int() in a query

    def get_queryset(self):
        return selectors.meetings_for(self.request.user)

    def _meeting(self) -> JointMeeting:
        pk = parse_id(self.kwargs["pk"])  # the router's [0-9]+ lets through numbers no database holds
        meeting = JointMeeting.objects.filter(selectors.meetings_visible_q(self.request.user), pk=pk)
        meeting = meeting.prefetch_related("days").first()
        if meeting is None:
            raise Http404
        return meeting

    @extend_schema(methods=["GET"], request=None, responses={200: ScheduleRunSerializer})
    @extend_schema(methods=["POST"], request=None, responses={202: ScheduleRunSerializer})
    @action(detail=True, methods=["get", "post"])
    def schedule(self, request, pk=None, format=None):  # DRF passes a format suffix by this name
        """POST queues a scheduling run; GET shows the latest run: its status (queued, running, done, failed)
        and result (optimal or feasible, objective, bound, gap, placed, unplaced with reasons). Admins only."""
        meeting = self._meeting()
        if not request.user.has_perm("matchmaking.manage_meetings"):
            raise exceptions.PermissionDenied(_("Only portal administrators schedule meetings."))
        if request.method == "GET":
            run = selectors.latest_run(meeting)
            if run is None:
                raise Http404
            return Response(ScheduleRunSerializer(run).data)
        try:
            run = schedule_enqueue(meeting=meeting, actor=request.user)
        except MeetingError as error:
            raise serializers.ValidationError({"detail": error.messages}) from error
        run.refresh_from_db()
        return Response(ScheduleRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", *FORMATS], description=_("A file instead")),
        ],
        responses={
            200: AgendaSerializer,
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=_("Agenda as a file")),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=AGENDA_RENDERERS)
    def agenda(self, request, pk=None, format=None):  # DRF passes a format suffix by this name
        """The whole meeting's agenda for admins; a participant's own appointments for that participant."""
        meeting = self._meeting()
        participant = None if is_portal_admin(request.user) else selectors.participant_of(request.user, meeting)
        fmt = request.accepted_renderer.format
        reads_whole = request.user.has_perm("matchmaking.view_timetable") and fmt not in FORMATS  # as the page
        if participant is None and not (is_portal_admin(request.user) or reads_whole):
            raise exceptions.PermissionDenied
        if fmt in FORMATS:
            language = get_language() or "ja"
            exported = export_agenda(meeting, fmt, language=language, participant=participant, actor=request.user)
            response = HttpResponse(exported.content, content_type=exported.content_type)
            response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
            return response
        latest = selectors.latest_version(meeting)
        data = {
            "meeting": meeting.pk,
            "status": meeting.status,
            "version": latest.number if latest else 0,
            "participant": participant.name if participant else None,
            "appointments": selectors.appointments(meeting, participant=participant),
        }
        return Response(AgendaSerializer(data, context={"request": request}).data)
