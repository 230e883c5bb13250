"""The meeting pages, under /meetings/ (config/urls.py)."""

from django.urls import path

from matchmaking.meetings.views import downloads, invitations, meetings, participants, timetable

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("new/", meetings.meeting_create, name="create"),
    path("invitations/", invitations.my_invitations, name="my_invitations"),
    path("<int:pk>/", meetings.meeting_detail, name="detail"),
    path("<int:pk>/edit/", meetings.meeting_edit, name="edit"),
    path("<int:pk>/status/<str:to>/", meetings.meeting_move, name="move"),
    # invitations
    path("<int:pk>/invite/", invitations.invite, name="invite"),
    path("<int:pk>/invitations/", invitations.invitation_list, name="invitations"),
    path("<int:pk>/invitations/<int:invitation_pk>/respond/", invitations.respond, name="respond"),
    path("<int:pk>/invitations/<int:invitation_pk>/request/", invitations.request_unit, name="request_unit"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/availability/",
        participants.invitee_availability,
        name="invitee_availability",
    ),
    # units: availability and requests
    path("<int:pk>/units/<int:unit_pk>/availability/", participants.unit_availability, name="unit_availability"),
    path("<int:pk>/units/<int:unit_pk>/requests/", participants.unit_requests, name="unit_requests"),
    path(
        "<int:pk>/units/<int:unit_pk>/requests/<int:request_pk>/",
        participants.unit_request_change,
        name="unit_request_change",
    ),
    path("<int:pk>/units/<int:unit_pk>/briefing.pdf", downloads.briefing, name="briefing"),
    path("<int:pk>/requests/", participants.requests_overview, name="requests"),
    path("<int:pk>/requests/propose/", participants.requests_propose, name="requests_propose"),
    # timetable
    path("<int:pk>/timetable/", timetable.timetable, name="timetable"),
    path("<int:pk>/schedule/", timetable.schedule, name="schedule"),
    path("<int:pk>/schedule/status/", timetable.schedule_status, name="schedule_status"),
    path("<int:pk>/appointments/new/", timetable.appointment_add, name="appointment_add"),
    path("<int:pk>/appointments/<int:appointment_pk>/", timetable.appointment_detail, name="appointment"),
    path("<int:pk>/appointments/<int:appointment_pk>/drop/", timetable.appointment_drop, name="appointment_drop"),
    path("<int:pk>/appointments/<int:appointment_pk>/remove/", timetable.appointment_remove, name="appointment_remove"),
    path("<int:pk>/publish/", timetable.publish, name="publish"),
    # downloads
    path("<int:pk>/export.<str:fmt>", downloads.meeting_export, name="export"),
    path("<int:pk>/my-agenda.<str:fmt>", downloads.my_agenda, name="my_agenda"),
]
