#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and media folder.
#   DATABASE_URL=postgres://…/new_db DJANGO_MEDIA_ROOT=/app/media scripts/restore.sh IN_DIR
# Create the database first (createdb, or the postgres container's POSTGRES_DB) and stop web/worker/beat.
set -euo pipefail
in="${1:?usage: scripts/restore.sh IN_DIR}"
: "${DATABASE_URL:?set DATABASE_URL}"
media="${DJANGO_MEDIA_ROOT:-$(dirname "$0")/../media}"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$in/db.dump"
mkdir -p "$media"
tar --extract --gzip --file="$in/media.tar.gz" --directory="$media"
echo "restored $in into the database and $media"
