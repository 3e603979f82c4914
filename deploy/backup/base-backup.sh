#!/usr/bin/env bash
# Take a dated base backup of the PostgreSQL cluster: compressed tar files, the WAL needed to
# make it consistent (streamed alongside), a manifest with SHA-256 checksums of every file.
#
#   base-backup.sh BACKUP_DIR
#
# Writes BACKUP_DIR/base/<UTC time, e.g. 20261204T031500Z>/ with base.tar.gz, pg_wal.tar.gz,
# backup_manifest, SHA256SUMS and backup.info (label, start and end times, first WAL file).
# The directory gets its final name only once complete: a failed run leaves nothing behind.
# The connection comes from libpq's variables (PGHOST, PGPORT, PGUSER); the role needs the
# REPLICATION attribute. PG_BIN may name the directory of PostgreSQL's programs.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BACKUP_DIR" >&2
  exit 2
fi
root=$1
bin=${PG_BIN:+$PG_BIN/}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
final=$root/base/$stamp
work=$root/base/.$stamp.partial
if [ -e "$final" ]; then
  echo "base-backup: $final already exists" >&2
  exit 1
fi
mkdir -p -- "$root/base"
trap 'rm -rf -- "$work"' EXIT

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"${bin}pg_basebackup" --pgdata="$work" --format=tar --gzip --wal-method=stream \
  --checkpoint=fast --label="filiere $stamp" --manifest-checksums=SHA256 --no-password
# Rounded up to the next second: a recovery target after it is surely after the backup's end.
finished=$(date -u -d "@$(($(date +%s) + 1))" +%Y-%m-%dT%H:%M:%SZ)

# The first WAL file this backup needs (timeline and start LSN from the manifest): retention
# removes only older WAL files. 16 MiB segments, PostgreSQL's default.
range=$(grep -o '"Timeline": *[0-9]*, *"Start-LSN": *"[0-9A-F]*/[0-9A-F]*"' "$work/backup_manifest" | head -n 1)
timeline=$(sed 's/.*"Timeline": *\([0-9]*\).*/\1/' <<<"$range")
lsn=$(sed 's/.*"Start-LSN": *"\([0-9A-F\/]*\)".*/\1/' <<<"$range")
wal_start=$(printf '%08X%08X%08X' "$timeline" "$((16#${lsn%/*}))" "$(( (16#${lsn#*/}) >> 24 ))")

(cd "$work" && sha256sum -- base.tar.gz pg_wal.tar.gz backup_manifest >SHA256SUMS)
printf 'label=filiere %s\nstarted=%s\nfinished=%s\nwal_start=%s\n' \
  "$stamp" "$started" "$finished" "$wal_start" >"$work/backup.info"
sync -- "$work"/*
mv -- "$work" "$final"
trap - EXIT
echo "$final"
