"""A need's history on its page: the owning unit and reviewers follow every step of the workflow (drafts,
review, returns); anyone else who may see the need sees only its public milestones (published, closed)."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.enums import RoleCode
from needs.enums import NeedStatus
from needs.services.needs import need_transition

# Status labels only the workflow shows.
INTERNAL = (NeedStatus.DRAFT, NeedStatus.SUBMITTED)


def label(status) -> str:
    with translation.override("ja"):
        return str(NeedStatus(status).label)


@pytest.fixture
def reviewed_need(make_need, user_with_role, unit):
    """Drafted, submitted, returned with a comment, submitted again, published, then closed."""
    author = user_with_role(RoleCode.NEED_AUTHOR)  # of the GSDF staff office, the need's owner
    reviewer = user_with_role(RoleCode.NEED_REVIEWER)
    need = make_need(status=NeedStatus.DRAFT)
    need_transition(need=need, to=NeedStatus.SUBMITTED, actor=author)
    need_transition(need=need, to=NeedStatus.DRAFT, actor=reviewer, comment="内部の差戻し理由")
    need_transition(need=need, to=NeedStatus.SUBMITTED, actor=author)
    need_transition(need=need, to=NeedStatus.PUBLISHED, actor=reviewer)
    need_transition(need=need, to=NeedStatus.CLOSED, actor=reviewer)
    return need, author, reviewer


def history(client, need, user) -> str:
    client.logout()
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("needs:need_detail", args=[need.pk]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    return page.split('data-testid="history"')[1].split("</section>")[0]


@pytest.mark.parametrize("role", [RoleCode.STARTUP_MEMBER, RoleCode.PORTAL_ADMIN, None])
def test_outsiders_see_only_the_public_milestones(client, reviewed_need, user_with_role, role):
    need, _author, _reviewer = reviewed_need
    section = history(client, need, user_with_role(role) if role else None)
    rows = section.split("<tbody>")[1].count("<tr>")
    assert rows == 2  # published, closed
    for status in INTERNAL:
        assert label(status) not in section, status
    assert label(NeedStatus.PUBLISHED) in section and label(NeedStatus.CLOSED) in section
    assert "内部の差戻し理由" not in section


def test_the_owning_unit_and_reviewers_follow_every_step(client, reviewed_need):
    need, author, reviewer = reviewed_need
    for user in (author, reviewer):
        section = history(client, need, user)
        assert section.split("<tbody>")[1].count("<tr>") == 5
        assert f"{label(NeedStatus.SUBMITTED)} → {label(NeedStatus.DRAFT)}" in section
        assert "内部の差戻し理由" in section
