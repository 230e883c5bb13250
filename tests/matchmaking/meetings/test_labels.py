"""The words of the meeting pages: a column heading borrowed from another page's msgid reads as that page's word
(the meetings list said 受付番号, the consultations' "No."), and one thing has one name in the catalogue."""

from pathlib import Path

import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("language", "heading"), [("ja", "回"), ("en", "No.")])
def test_the_meetings_list_numbers_meetings_not_consultations(client, scheduled, language, heading):
    scheduled.admin.preferred_language = language
    scheduled.admin.save()
    client.force_login(scheduled.admin)
    page = client.get(reverse("meetings:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    headings = page.split("<thead>")[1].split("</thead>")[0]
    assert f'<th scope="col">{heading}</th>' in headings
    assert "受付番号" not in page


def test_a_unit_has_one_japanese_name():
    """部局 throughout (as 防衛省の部局 and 部局コード): never 部署 for the same thing."""
    import polib

    catalogue = polib.pofile(str(BASE_DIR / "locale" / "ja" / "LC_MESSAGES" / "django.po"))
    mixed = [entry.msgid for entry in catalogue if "部署" in entry.msgstr]
    assert mixed == []
    from matchmaking.agenda.exporters import LABELS

    assert "部署" not in "".join(LABELS["ja"].values())
