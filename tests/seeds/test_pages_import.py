"""The import pages (upload → preview → confirm) and the merge pages (choose → compare → confirm)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import RoleCode
from seeds import services
from seeds.enums import ImportStatus
from seeds.forms import IMPORT_MAX_BYTES
from seeds.models import CuratorNote, Designation, Startup, StartupImport, StartupMerge
from tests.factories import StartupFactory, make_corporate_number

HEADER = (
    "corporate_number,name,name_en,description,technologies,tech_fields,trl,designations,prefecture,"
    "founded_year,employees,website"
)


@pytest.fixture
def curator_client(client_for):
    return client_for(RoleCode.CURATOR)


def upload(client, content: bytes, name: str = "list.csv"):
    return client.post(reverse("seeds:import_upload"), {"file": SimpleUploadedFile(name, content)})


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_upload_previews_counts_and_confirm_writes(curator_client):
    known = StartupFactory(name="既存", trl=3)
    same = StartupFactory(name="同じ")
    content = csv(
        f"{make_corporate_number(1001)},新しい会社,New Co,説明,LiDAR;SLAM,robotics,5,jstartup:2023,東京都,2019,20,",
        f"{known.corporate_number},既存,{known.name_en},{known.description},,,6,,,,,",
        f"{same.corporate_number},同じ,{same.name_en},{same.description},,,,,,,,",
    )
    response = upload(curator_client, content, "j-startup.csv")
    pending = StartupImport.objects.get()
    assert response["Location"] == reverse("seeds:import_preview", args=[pending.pk])
    assert Startup.objects.count() == 2  # nothing written yet

    response = curator_client.get(response["Location"])
    result = response.context["result"]
    assert (result["created"], result["updated"], result["unchanged"], result["ok"]) == (1, 1, 1, True)
    record, changed = result["updated_rows"][0]
    assert (record.corporate_number, changed) == (known.corporate_number, ["trl"])
    body = response.content.decode()
    assert "j-startup.csv" in body
    assert reverse("seeds:import_confirm", args=[pending.pk]) in body

    response = curator_client.post(reverse("seeds:import_confirm", args=[pending.pk]))
    assert response["Location"] == reverse("seeds:import_preview", args=[pending.pk])
    pending.refresh_from_db()
    assert pending.status == ImportStatus.APPLIED
    known.refresh_from_db()
    assert known.trl == 6
    created = Startup.objects.get(corporate_number=make_corporate_number(1001))
    assert (created.name, created.technologies) == ("新しい会社", ["LiDAR", "SLAM"])
    assert list(created.designations.values_list("program", "cohort")) == [("jstartup", "2023")]

    # The applied import is read-only: no confirm button, and confirming again changes nothing.
    response = curator_client.get(reverse("seeds:import_preview", args=[pending.pk]))
    assert reverse("seeds:import_confirm", args=[pending.pk]) not in response.content.decode()
    assert response.context["result"]["created"] == 1
    curator_client.post(reverse("seeds:import_confirm", args=[pending.pk]))
    assert Designation.objects.count() == 1


def test_a_bad_row_is_shown_with_its_line_and_reason_and_nothing_is_written(curator_client):
    content = csv(
        f"{make_corporate_number(2001)},良い会社,,,,,,,,,,",
        f"{make_corporate_number(2002)},悪い会社,,,,,12,,,,,",
    )
    response = curator_client.get(upload(curator_client, content)["Location"])
    result = response.context["result"]
    assert result["ok"] is False
    error = result["errors"][0]
    assert (error.line, error.column) == (3, "trl")
    body = response.content.decode()
    assert error.message in body
    assert "<td>3</td>" in body
    pending = StartupImport.objects.get()
    assert reverse("seeds:import_confirm", args=[pending.pk]) not in body
    assert reverse("seeds:import_upload") in body
    curator_client.post(reverse("seeds:import_confirm", args=[pending.pk]))
    assert not Startup.objects.exists()
    pending.refresh_from_db()
    assert pending.status == ImportStatus.PREVIEWED


def test_a_file_level_error_is_shown(curator_client):
    response = curator_client.get(upload(curator_client, b"name,trl\nx,1\n")["Location"])
    assert response.context["result"]["file_error"]
    assert "corporate_number" in response.content.decode()


def test_other_extensions_and_large_files_are_refused(curator_client, monkeypatch):
    response = upload(curator_client, csv(f"{make_corporate_number(1)},a,,,,,,,,,,"), "list.txt")
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    monkeypatch.setattr("seeds.forms.IMPORT_MAX_BYTES", 10)
    response = upload(curator_client, csv(f"{make_corporate_number(1)},a,,,,,,,,,,"))
    assert "file" in response.context["form"].errors
    assert not StartupImport.objects.exists()
    assert IMPORT_MAX_BYTES == 10 * 1024 * 1024


def test_upload_page_lists_the_recent_imports(curator_client, user_with_role):
    curator = user_with_role(RoleCode.CURATOR)
    for number in range(12):
        services.startup_import_preview(
            content=csv(f"{make_corporate_number(number)},a,,,,,,,,,,"), filename=f"f{number}.csv", actor=curator
        )
    imports = list(curator_client.get(reverse("seeds:import_upload")).context["imports"])
    assert [item.filename for item in imports] == [f"f{number}.csv" for number in range(11, 1, -1)]


# --- Merge ----------------------------------------------------------------------------------------------------


def test_merge_compares_then_moves_designations_and_notes_and_records_the_merge(curator_client):
    survivor = StartupFactory(name="残る会社", trl=None)
    merged = StartupFactory(name="消える会社", trl=5)
    Designation.objects.create(startup=merged, program="jva", cohort="2022")
    Designation.objects.create(startup=survivor, program="jstartup", cohort="2023")
    services.startup_note_add(startup=merged, body="重複の可能性", actor=None)
    url = reverse("seeds:merge")

    response = curator_client.get(url, {"first": survivor.corporate_number, "second": merged.corporate_number})
    assert response.status_code == 200
    assert [startup.pk for startup in response.context["startups"]] == [survivor.pk, merged.pk]
    assert Startup.objects.count() == 2  # comparing changes nothing

    data = {"first": survivor.corporate_number, "second": merged.corporate_number}
    response = curator_client.post(url, data)  # no survivor chosen: asked again
    assert response.status_code == 200
    assert "survivor" in response.context["form"].errors
    assert Startup.objects.count() == 2

    response = curator_client.post(url, {**data, "survivor": survivor.corporate_number})
    assert response["Location"] == reverse("seeds:startup_detail", args=[survivor.pk])
    assert not Startup.objects.filter(pk=merged.pk).exists()
    survivor.refresh_from_db()
    assert sorted(survivor.designations.values_list("program", "cohort")) == [("jstartup", "2023"), ("jva", "2022")]
    assert survivor.trl == 5
    assert CuratorNote.objects.filter(startup=survivor, body="重複の可能性").exists()
    record = StartupMerge.objects.get()
    assert (record.survivor, record.merged_corporate_number) == (survivor, merged.corporate_number)


def test_merge_keeps_the_second_record_when_chosen(curator_client):
    first, second = StartupFactory(), StartupFactory()
    curator_client.post(
        reverse("seeds:merge"),
        {"first": first.corporate_number, "second": second.corporate_number, "survivor": second.corporate_number},
    )
    assert list(Startup.objects.values_list("pk", flat=True)) == [second.pk]


def test_merge_refuses_the_same_number_twice_and_unknown_numbers(curator_client):
    startup = StartupFactory()
    url = reverse("seeds:merge")
    response = curator_client.get(url, {"first": startup.corporate_number, "second": startup.corporate_number})
    assert response.context["form"].non_field_errors()
    assert "startups" not in response.context
    response = curator_client.get(url, {"first": startup.corporate_number, "second": make_corporate_number(31337)})
    assert "second" in response.context["form"].errors
    response = curator_client.get(url, {"first": "123", "second": startup.corporate_number})
    assert "first" in response.context["form"].errors
    assert StartupMerge.objects.count() == 0


def test_merge_link_from_a_detail_page_prefills_the_first_number(curator_client):
    startup = StartupFactory()
    response = curator_client.get(reverse("seeds:merge"), {"first": startup.corporate_number})
    form = response.context["form"]
    assert not form.is_bound
    assert startup.corporate_number in response.content.decode()


def test_merge_of_two_records_claimed_by_different_organisations_is_refused_on_the_page(curator_client):
    from tests.factories import OrganisationFactory

    first = StartupFactory(organisation=OrganisationFactory())
    second = StartupFactory(organisation=OrganisationFactory())
    response = curator_client.post(
        reverse("seeds:merge"),
        {"first": first.corporate_number, "second": second.corporate_number, "survivor": first.corporate_number},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Startup.objects.count() == 2
