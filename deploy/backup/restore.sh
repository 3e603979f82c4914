#!/usr/bin/env bash
# Restore the PostgreSQL cluster into a NEW data directory, to a point in time.
#
#   restore.sh --backup-dir DIR --wal-archive DIR --pgdata NEW_DIR
#              (--target-time 'YYYY-MM-DD HH:MM:SS+00' | --target-name NAME | --latest)
#              [--base STAMP] [--port N] [--socket-dir DIR] [--pg-options '...'] [--no-start]
#
# 1. picks the base backup: --base, or the latest one that finished before --target-time (the
#    latest one for --target-name and --latest), and checks its SHA256SUMS;
# 2. unpacks it into --pgdata (which must not exist or be empty) and verifies every file against
#    the backup's manifest (pg_verifybackup);
# 3. configures the recovery: WAL fetched from the archive (restore-wal.sh), stop at the target
#    (excluded for a time: the state just before it), then promote; archiving is OFF in the
#    restored cluster, so that it never writes into the archive of the cluster it came from;
# 4. starts it (unless --no-start) and waits until the recovery has ended and the cluster
#    accepts writes; a target that the archive cannot reach fails here, with the log's end.
# Run it as the operating-system user that owns PostgreSQL's files (postgres).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${PG_BIN:+$PG_BIN/}
backup_dir='' wal_archive='' pgdata='' target_time='' target_name='' latest=0 base=''
port='' socket_dir='' pg_options='' start=1 timeout=3600

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --backup-dir) backup_dir=$2; shift 2 ;;
    --wal-archive) wal_archive=$2; shift 2 ;;
    --pgdata) pgdata=$2; shift 2 ;;
    --target-time) target_time=$2; shift 2 ;;
    --target-name) target_name=$2; shift 2 ;;
    --latest) latest=1; shift ;;
    --base) base=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --socket-dir) socket_dir=$2; shift 2 ;;
    --pg-options) pg_options=$2; shift 2 ;;
    --no-start) start=0; shift ;;
    --timeout) timeout=$2; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$backup_dir" ] && [ -n "$wal_archive" ] && [ -n "$pgdata" ] || usage
targets=$latest
[ -n "$target_time" ] && targets=$((targets + 1))
[ -n "$target_name" ] && targets=$((targets + 1))
if [ "$targets" -ne 1 ]; then
  echo "restore: give exactly one of --target-time, --target-name, --latest" >&2
  exit 2
fi
for value in "$wal_archive" "$here" "$target_name" "$target_time" "$socket_dir"; do
  case $value in *"'"*) echo "restore: no single quote allowed in '$value'" >&2; exit 2 ;; esac
done

# 1. The base backup.
if [ -z "$base" ]; then
  limit=''
  [ -n "$target_time" ] && limit=$(date -u -d "$target_time" +%s)
  for candidate in $(ls -1 "$backup_dir/base" | grep -E '^[0-9]{8}T[0-9]{6}Z$' | sort); do
    finished=$(sed -n 's/^finished=//p' "$backup_dir/base/$candidate/backup.info")
    if [ -z "$limit" ] || [ "$(date -u -d "$finished" +%s)" -le "$limit" ]; then
      base=$candidate
    fi
  done
fi
if [ -z "$base" ] || [ ! -f "$backup_dir/base/$base/backup.info" ]; then
  echo "restore: no base backup in $backup_dir/base finished before the target" >&2
  exit 1
fi
source_dir=$backup_dir/base/$base
echo "restore: base backup $base ($(sed -n 's/^finished=/finished /p' "$source_dir/backup.info"))"
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS)

# 2. Unpack and verify.
if [ -e "$pgdata" ] && [ -n "$(ls -A "$pgdata")" ]; then
  echo "restore: $pgdata is not empty; restore into a new directory" >&2
  exit 1
fi
mkdir -p -m 700 -- "$pgdata"
chmod 700 "$pgdata"
tar -xzf "$source_dir/base.tar.gz" -C "$pgdata"
tar -xzf "$source_dir/pg_wal.tar.gz" -C "$pgdata/pg_wal"
"${bin}pg_verifybackup" --quiet --manifest-path="$source_dir/backup_manifest" "$pgdata"

# A cluster whose configuration lives elsewhere (Debian's /etc/postgresql) has none in its
# backup: a minimal one, local connections of the same operating-system user only, defaults
# otherwise. Never the original's file: its data_directory names the cluster in service.
if [ ! -f "$pgdata/postgresql.conf" ]; then
  echo "# restore.sh: the backup had no configuration; PostgreSQL's defaults" >"$pgdata/postgresql.conf"
  echo "local all all peer" >"$pgdata/pg_hba.conf"
  : >"$pgdata/pg_ident.conf"
fi

# 3. The recovery's settings (postgresql.auto.conf is read last: these win).
{
  echo "# restore.sh $(date -u +%Y-%m-%dT%H:%M:%SZ): from base backup $base"
  echo "restore_command = '$here/restore-wal.sh %f %p $wal_archive'"
  echo "archive_mode = 'off'"
  if [ -n "$target_time" ]; then
    echo "recovery_target_time = '$target_time'"
    echo "recovery_target_inclusive = 'off'"
  fi
  [ -n "$target_name" ] && echo "recovery_target_name = '$target_name'"
  echo "recovery_target_action = 'promote'"
  [ -n "$port" ] && echo "port = $port"
  [ -n "$socket_dir" ] && echo "unix_socket_directories = '$socket_dir'"
  echo "# end of restore.sh"
} >>"$pgdata/postgresql.auto.conf"
touch "$pgdata/recovery.signal"

[ "$start" -eq 1 ] || { echo "restore: ready in $pgdata (not started)"; exit 0; }

# 4. Start and wait for the end of the recovery.
log=${pgdata%/}.restore.log
failed() {
  echo "restore: the recovery did not complete ($1); the end of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
}
"${bin}pg_ctl" --pgdata="$pgdata" --log="$log" --options="$pg_options" --wait \
  --timeout="$timeout" start >/dev/null || failed "the server did not start"
deadline=$(( $(date +%s) + timeout ))
while :; do
  state=$("${bin}pg_controldata" "$pgdata" | sed -n 's/^Database cluster state: *//p')
  [ "$state" = "in production" ] && break
  "${bin}pg_ctl" --pgdata="$pgdata" status >/dev/null 2>&1 || failed "the server stopped"
  [ "$(date +%s)" -le "$deadline" ] || failed "still $state after ${timeout} s"
  sleep 0.2
done
grep -E 'recovery stopping|last completed transaction|selected new timeline' "$log" | sed 's/^/restore: /' || true
echo "restore: done; the cluster in $pgdata accepts writes (log: $log)"
echo "restore: before putting it in service, remove the restore's settings (archiving is off):"
echo "restore:   sed -i '/^# restore.sh/,/^# end of restore.sh/d' $pgdata/postgresql.auto.conf"
