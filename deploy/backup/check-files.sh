#!/usr/bin/env bash
# Check the uploaded files against the SHA-256 the database recorded at upload: every file the
# database names must be in MEDIA_ROOT with those bytes. Exit 1, with the list, otherwise.
#
#   check-files.sh MEDIA_ROOT    (the database from libpq's variables: PGDATABASE, PGUSER…)
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 MEDIA_ROOT" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
expected=$(mktemp)
trap 'rm -f -- "$expected"' EXIT
psql -X -At -F $'\t' -v ON_ERROR_STOP=1 -f "$here/file-references.sql" >"$expected"
python3 "$here/files_backup.py" check --media-root "$1" --expected "$expected"
