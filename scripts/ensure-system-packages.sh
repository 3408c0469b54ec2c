#!/usr/bin/env bash
# Installs the Debian packages cakg needs, when they are missing.
#   java      runs the HermiT reasoner (owlready2)            -> default-jre-headless
#   chromium  runs the browser tests                          -> chromium
#   virtuoso  runs the remote-store parity tests              -> virtuoso-opensource
# Usage: ensure-system-packages.sh [java] [chromium] [virtuoso]   (no argument: all three)
# Without root it names the packages to install and stops.
set -euo pipefail

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(java chromium virtuoso)

need=()
for what in "${wanted[@]}"; do
  case "$what" in
    java) command -v java >/dev/null 2>&1 || need+=(default-jre-headless) ;;
    chromium) command -v chromium >/dev/null 2>&1 || need+=(chromium) ;;
    # Debian 12's virtuoso-opensource pulls in virtuoso-opensource-7-bin, which ships the
    # server as virtuoso-t and its SQL client as isql-vt (the tests use both).
    virtuoso) { command -v virtuoso-t && command -v isql-vt; } >/dev/null 2>&1 \
                || need+=(virtuoso-opensource) ;;
    *) echo "ensure-system-packages: unknown component: $what" >&2; exit 2 ;;
  esac
done

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "cakg needs these Debian packages: ${need[*]}" >&2
  echo "install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
here="$(dirname "$0")"
# Wait for another apt (apt-daily, unattended-upgrades) instead of failing on its lock; the
# lock timeout covers the moment between the wait and apt-get taking the lock itself.
bash "$here/wait-for-apt-lock.sh"
apt_opts=(-o DPkg::Lock::Timeout="${CAKG_APT_WAIT:-600}")
apt-get "${apt_opts[@]}" update -qq
apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${need[@]}" >/dev/null
