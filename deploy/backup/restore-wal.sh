#!/usr/bin/env bash
# PostgreSQL's restore_command during a recovery: fetch one file from the WAL archive.
#
#   restore_command = '/opt/filiere/deploy/backup/restore-wal.sh %f %p /var/backups/filiere/wal'
#
# A missing file is a normal answer (exit 1, quietly): the server asks for files that may not
# exist, such as the next timeline's history, and stops replaying at the end of the archive.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 FILE_NAME DEST_PATH ARCHIVE_DIR" >&2
  exit 2
fi
name=$1
dest=$2
dir=$3
case $name in
  '' | */* | .*) echo "restore-wal: refusing the file name '$name'" >&2; exit 2 ;;
esac
[ -f "$dir/$name" ] || exit 1
cp -- "$dir/$name" "$dest"
