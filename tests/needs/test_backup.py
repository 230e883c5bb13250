"""Backup and restore round trip (scripts/backup.sh, scripts/restore.sh): a dump restored into an empty
database, with the uploaded files unpacked into an empty folder, gives the same records and the same files.
PostgreSQL only (pg_dump/pg_restore)."""

import hashlib
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from accounts.enums import RoleCode
from needs.models import Need, Proposal, ProposalAttachment
from needs.services.proposals import proposal_attach, proposal_create
from tests.factories import StartupFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads from its own connection: data committed

RESTORE_DB = "h4prod_restore"
SCRIPTS = Path(settings.BASE_DIR) / "scripts"
TABLES = {
    "needs_need": "SELECT ref, title, status, owner_unit_id FROM needs_need ORDER BY ref",
    "needs_proposal": "SELECT id, title, status, need_id, startup_id FROM needs_proposal ORDER BY id",
    "needs_proposalattachment": "SELECT id, file, original_name, size FROM needs_proposalattachment ORDER BY id",
    "accounts_user": "SELECT id, email, password FROM accounts_user ORDER BY id",
}


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        reason = "backup and restore use pg_dump/pg_restore: run with DATABASE_URL set to PostgreSQL"
        print(reason)
        pytest.skip(reason)
    params = connection.get_connection_params()
    base = {key: params[key] for key in ("host", "port", "user", "password") if params.get(key)}
    with psycopg.connect(dbname="postgres", autocommit=True, **base) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DB}"')
        admin.execute(f'CREATE DATABASE "{RESTORE_DB}"')
    yield base
    with psycopg.connect(dbname="postgres", autocommit=True, **base) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DB}" WITH (FORCE)')


def url_of(base: dict, name: str) -> str:
    auth = base.get("user", "") + (f":{base['password']}" if base.get("password") else "")
    return f"postgresql://{auth}@{base.get('host', 'localhost')}:{base.get('port', 5432)}/{name}"


def snapshot(dbname: str, base: dict) -> dict:
    with psycopg.connect(dbname=dbname, **base) as db:
        return {table: db.execute(query).fetchall() for table, query in TABLES.items()}


def files_of(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_dump_restored_into_an_empty_database_gives_the_same_records_and_files(
    postgres, make_need, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    owner = UserFactory(roles=[RoleCode.STARTUP_MEMBER])
    startup = StartupFactory(organisation=owner.organisation)
    need = make_need()
    proposal = proposal_create(need=need, startup=startup, data={"title": "復元試験", "summary": "S"}, actor=owner)
    for name, body in [("提案書.pdf", b"%PDF-1.4\n%%EOF\n"), ("別紙.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")]:
        proposal_attach(
            proposal=proposal, uploaded=SimpleUploadedFile(name, body, content_type="application/pdf"), actor=owner
        )
    assert ProposalAttachment.objects.count() == 2 and Need.objects.count() == 1 and Proposal.objects.count() == 1

    source_db = connection.settings_dict["NAME"]
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    backup = tmp_path / "backup"
    subprocess.run(
        [str(SCRIPTS / "backup.sh"), str(backup)],
        env={**environment, "DATABASE_URL": url_of(postgres, source_db)},
        check=True,
        capture_output=True,
    )
    restored_media = tmp_path / "restored-media"
    subprocess.run(
        [str(SCRIPTS / "restore.sh"), str(backup)],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_MEDIA_ROOT": str(restored_media),
            "DATABASE_URL": url_of(postgres, RESTORE_DB),
        },
        check=True,
        capture_output=True,
    )

    original, restored = snapshot(source_db, postgres), snapshot(RESTORE_DB, postgres)
    assert restored == original
    assert len(restored["needs_proposalattachment"]) == 2
    assert files_of(restored_media) == files_of(Path(settings.MEDIA_ROOT))
    stored = {row[1] for row in restored["needs_proposalattachment"]}
    assert set(files_of(restored_media)) == stored  # every restored row finds its file
