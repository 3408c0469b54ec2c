#!/usr/bin/env bash
# mypy --strict over the package as installed: the package-dir mapping (cakg.graph = graph/, ...)
# exists only once installed, so install a copy into a temporary folder and check that.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-$root/.venv/bin/python}"
# Absolute, without resolving the symlink (that would leave the virtual environment).
py="$(cd "$(dirname "$py")" && pwd)/$(basename "$py")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$py" -m pip install --quiet --no-deps --no-build-isolation --target "$tmp/site" "$root" >/dev/null 2>&1 \
  || "$py" -m pip install --quiet --no-deps --target "$tmp/site" "$root" >/dev/null
cd "$tmp/site"
"$py" -m mypy --strict --config-file "$root/pyproject.toml" --cache-dir "$tmp/cache" -p cakg
