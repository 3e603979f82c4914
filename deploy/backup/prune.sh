#!/usr/bin/env bash
# Retention: keep the base backups of the last KEEP_DAYS days (and always the KEEP_MIN latest),
# the WAL files from the oldest kept base backup on, and the files' manifests of as many days.
#
#   prune.sh BACKUP_DIR WAL_ARCHIVE [KEEP_DAYS=14] [KEEP_MIN=2]
#
# Every point in time since the oldest kept base backup stays restorable.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 4 ]; then
  echo "usage: $0 BACKUP_DIR WAL_ARCHIVE [KEEP_DAYS] [KEEP_MIN]" >&2
  exit 2
fi
root=$1
wal_archive=$2
keep_days=${3:-14}
keep_min=${4:-2}
here=$(cd "$(dirname "$0")" && pwd)
bin=${PG_BIN:+$PG_BIN/}

mapfile -t bases < <(ls -1 "$root/base" 2>/dev/null | grep -E '^[0-9]{8}T[0-9]{6}Z$' | sort)
limit=$(( $(date +%s) - keep_days * 86400 ))
removable=$(( ${#bases[@]} - keep_min ))
removed=0
for ((i = 0; i < removable; i++)); do
  finished=$(sed -n 's/^finished=//p' "$root/base/${bases[$i]}/backup.info")
  [ "$(date -u -d "$finished" +%s)" -lt "$limit" ] || break
  rm -rf -- "$root/base/${bases[$i]}"
  removed=$((removed + 1))
done
echo "prune: $removed base backup(s) removed, $(( ${#bases[@]} - removed )) kept"

if (( ${#bases[@]} > removed )); then
  oldest=${bases[$removed]}
  wal_start=$(sed -n 's/^wal_start=//p' "$root/base/$oldest/backup.info")
  "${bin}pg_archivecleanup" "$wal_archive" "$wal_start"
  echo "prune: WAL files before $wal_start removed (base backup $oldest)"
fi

# The files' store belongs to the user that writes MEDIA_ROOT: pruned by whoever may write it.
if [ -d "$root/files/manifests" ] && [ -w "$root/files/manifests" ]; then
  python3 "$here/files_backup.py" prune --store "$root/files" --keep-days "$keep_days" \
    --keep-min "$keep_min"
fi
