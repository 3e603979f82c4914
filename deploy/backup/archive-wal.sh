#!/usr/bin/env bash
# PostgreSQL's archive_command: copy one WAL file into the archive directory, safely.
#
#   archive_command = '/opt/filiere/deploy/backup/archive-wal.sh %p %f /var/backups/filiere/wal'
#
# - A file already archived with the same bytes (a retry after a crash) is success: idempotent.
# - A file already archived with different bytes is refused (exit 1): never overwrite history.
# - The copy is written under a temporary name, flushed to disk, then linked into place with
#   `ln` (atomic, and it fails if the name appeared meanwhile), so a half-written segment never
#   carries a WAL file's name.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 SOURCE_PATH FILE_NAME ARCHIVE_DIR" >&2
  exit 2
fi
src=$1
name=$2
dir=$3

case $name in
  '' | */* | .*) echo "archive-wal: refusing the file name '$name'" >&2; exit 2 ;;
esac
if [ ! -d "$dir" ]; then
  echo "archive-wal: no archive directory $dir" >&2
  exit 1
fi
dest=$dir/$name

same_or_refuse() {
  if cmp -s -- "$src" "$dest"; then
    exit 0
  fi
  echo "archive-wal: $dest already exists with different content; refusing to overwrite" >&2
  exit 1
}

if [ -e "$dest" ]; then
  same_or_refuse
fi

tmp=$(mktemp "$dir/.$name.XXXXXX")
trap 'rm -f -- "$tmp"' EXIT
cp -- "$src" "$tmp"
sync -- "$tmp"
if ! ln -- "$tmp" "$dest" 2>/dev/null; then
  # Another archiver won the race: fine if it wrote the same bytes.
  same_or_refuse
fi
sync -- "$dir"
