#!/usr/bin/env bash
# Back up the portal: the database as a pg_dump custom-format archive and the uploaded files as a tarball.
#   DATABASE_URL=postgres://… DJANGO_MEDIA_ROOT=/app/media scripts/backup.sh OUT_DIR
# Writes OUT_DIR/db.dump and OUT_DIR/media.tar.gz. The dump is consistent on its own (one snapshot); take the
# media tarball right after it: a file uploaded in between is only an orphan file after a restore, never a
# row without its file, as long as uploads are never deleted in that window.
set -euo pipefail
out="${1:?usage: scripts/backup.sh OUT_DIR}"
: "${DATABASE_URL:?set DATABASE_URL}"
media="${DJANGO_MEDIA_ROOT:-$(dirname "$0")/../media}"
mkdir -p "$out" "$media"
pg_dump --format=custom --no-owner --no-privileges --file="$out/db.dump" "$DATABASE_URL"
tar --create --gzip --file="$out/media.tar.gz" --directory="$media" .
echo "backup written to $out (db.dump, media.tar.gz)"
