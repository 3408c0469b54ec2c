#!/usr/bin/env bash
# Waits until no other process holds apt's and dpkg's locks, for at most a bounded time.
# On a freshly booted Debian machine unattended-upgrades or apt-daily may hold them for
# minutes; apt-get then fails at once with "Could not get lock". dpkg takes its locks with
# fcntl(2) (F_SETLK), so they are tested the same way, through Python's fcntl.lockf.
#   Usage: wait-for-apt-lock.sh [SECONDS] [LOCKFILE ...]
#   SECONDS defaults to $CAKG_APT_WAIT or 600; LOCKFILEs default to dpkg's and apt's.
# Exits 0 when the locks are free, 1 (naming the holder) when they stay taken.
set -euo pipefail

wait_s="${1:-${CAKG_APT_WAIT:-600}}"
shift || true
locks=("$@")
[ ${#locks[@]} -eq 0 ] && locks=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock
                                  /var/lib/apt/lists/lock /var/cache/apt/archives/lock)

held() {  # prints the first lock file that another process holds
  python3 - "$@" <<'PY'
import fcntl, os, sys
for path in sys.argv[1:]:
    if not os.path.exists(path):
        continue
    with open(path, "a") as f:
        try:
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            print(path)
            break
        fcntl.lockf(f, fcntl.LOCK_UN)
PY
}

deadline=$((SECONDS + wait_s))
said=""
while lock="$(held "${locks[@]}")" && [ -n "$lock" ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "wait-for-apt-lock: $lock is still held after ${wait_s} s (another apt or dpkg is" \
         "running: see 'ps -C apt-get,apt,dpkg,unattended-upgr'); wait for it and run again" >&2
    exit 1
  fi
  if [ -z "$said" ]; then
    echo "wait-for-apt-lock: $lock is held by another process; waiting up to ${wait_s} s" >&2
    said=yes
  fi
  sleep 1
done
