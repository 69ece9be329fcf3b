#!/usr/bin/env bash
# The GitHub Action's install step: docdex of the action's own version, prebuilt.
# It installs the wheel of that version from PyPI (the binary inside, no compiler, a few
# seconds) and names the program in $GITHUB_OUTPUT (`program=`). When no wheel installs (no Python, no wheel for this platform, an index
# that cannot be reached), it says so and leaves `prebuilt=false` with a cache key in
# $GITHUB_OUTPUT: the action then restores or builds docdex with cargo.
# Reads DOCDEX_ACTION_PATH and DOCDEX_INSTALL_DIR; tested outside GitHub too.
set -euo pipefail

action_path="${DOCDEX_ACTION_PATH:?DOCDEX_ACTION_PATH is not set}"
install_dir="${DOCDEX_INSTALL_DIR:?DOCDEX_INSTALL_DIR is not set}"
output="${GITHUB_OUTPUT:-/dev/null}"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1)
if [ -z "$version" ]; then
  echo "docdex: no version in $action_path/Cargo.toml" >&2
  exit 2
fi

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1; then
    python="$candidate"
    break
  fi
done

started=$SECONDS
# --target touches nothing of the system's Python, so PEP 668's guard does not apply;
# both variables are ignored by a pip too old to know them.
if [ -n "$python" ] &&
  PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --disable-pip-version-check --quiet --no-warn-script-location \
    --only-binary :all: --target "$install_dir/wheel" "docdex==$version"; then
  bin="$install_dir/wheel/bin"
  if "$bin/docdex" --version 2>/dev/null | grep -qx "docdex $version"; then
    {
      echo "prebuilt=true"
      echo "program=$bin/docdex"
    } >> "$output"
    echo "docdex: installed the docdex $version wheel in $((SECONDS - started)) s"
    exit 0
  fi
fi

echo "docdex: no prebuilt docdex $version installs here; building it with cargo (cached for later runs)" >&2
lock_hash=$(sha256sum "$action_path/Cargo.lock" 2>/dev/null | cut -c1-16 || echo none)
{
  echo "prebuilt=false"
  echo "cache-key=docdex-$version-$lock_hash"
} >> "$output"
