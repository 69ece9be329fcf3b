#!/usr/bin/env bash
# The GitHub Action's install step: docdex of the action's own version, prebuilt.
# It downloads the archive that the release of the action's own repository published
# for this runner, verifies it against the SHA256SUMS of that same release, and names
# the program in $GITHUB_OUTPUT (`program=`). Nothing is installed by package name from
# an index: only bytes the action's own release vouches for run.
#
# When no archive can be had (a platform without one, a release that cannot be
# reached), it says so and leaves `prebuilt=false` with a cache key in $GITHUB_OUTPUT:
# the action then restores or builds docdex with cargo. An archive whose checksum does
# not match is an error (exit 2), never a fallback.
#
# Reads DOCDEX_ACTION_PATH, DOCDEX_INSTALL_DIR, DOCDEX_ACTION_REPOSITORY (owner/name;
# default: Cargo.toml's repository) and RUNNER_OS/RUNNER_ARCH (default: uname);
# DOCDEX_RELEASE_URL replaces the release's download address (tests use file://).
set -euo pipefail

action_path="${DOCDEX_ACTION_PATH:?DOCDEX_ACTION_PATH is not set}"
install_dir="${DOCDEX_INSTALL_DIR:?DOCDEX_INSTALL_DIR is not set}"
output="${GITHUB_OUTPUT:-/dev/null}"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1)
if [ -z "$version" ]; then
  echo "docdex: no version in $action_path/Cargo.toml" >&2
  exit 2
fi

# No prebuilt docdex: say why, and leave the build to the action's cached cargo step.
fallback() {
  echo "docdex: $1; building docdex $version with cargo instead (cached for later runs)" >&2
  lock_hash=$(sha256_of "$action_path/Cargo.lock" 2>/dev/null | cut -c1-16 || echo none)
  {
    echo "prebuilt=false"
    echo "cache-key=docdex-$version-$lock_hash"
  } >> "$output"
  exit 0
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

os="${RUNNER_OS:-$(uname -s)}"
arch="${RUNNER_ARCH:-$(uname -m)}"
ext=tar.gz
exe=docdex
case "$os-$arch" in
  Linux-X64 | Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
  Linux-ARM64 | Linux-aarch64) target=aarch64-unknown-linux-gnu ;;
  macOS-X64 | Darwin-x86_64) target=x86_64-apple-darwin ;;
  macOS-ARM64 | Darwin-arm64) target=aarch64-apple-darwin ;;
  Windows-X64 | MINGW*-x86_64 | MSYS*-x86_64)
    target=x86_64-pc-windows-msvc
    ext=zip
    exe=docdex.exe
    ;;
  *) fallback "no docdex release archive is built for $os $arch" ;;
esac

repository="${DOCDEX_ACTION_REPOSITORY:-}"
if [ -z "$repository" ]; then
  repository=$(sed -n 's|^repository = "https://github.com/\(.*\)"$|\1|p' "$action_path/Cargo.toml" | head -n 1)
fi
base="${DOCDEX_RELEASE_URL:-https://github.com/$repository/releases/download/v$version}"
name="docdex-v$version-$target"
archive="$name.$ext"

if ! command -v curl >/dev/null 2>&1; then
  fallback "curl is not installed"
fi
started=$SECONDS
mkdir -p "$install_dir"
cd "$install_dir"
rm -rf "$name" "$archive" SHA256SUMS
download() {
  curl --fail --silent --show-error --location --retry 3 --output "$2" "$1"
}
download "$base/SHA256SUMS" SHA256SUMS ||
  fallback "the v$version release's SHA256SUMS cannot be downloaded from $base"
download "$base/$archive" "$archive" ||
  fallback "the v$version release's $archive cannot be downloaded from $base"

expected=$(awk -v file="$archive" '$2 == file || $2 == "*" file { print $1; exit }' SHA256SUMS)
if [ -z "$expected" ]; then
  fallback "the v$version release's SHA256SUMS lists no $archive"
fi
actual=$(sha256_of "$archive")
if [ "$actual" != "$expected" ]; then
  echo "docdex: $archive from $base has SHA-256 $actual, but the release's SHA256SUMS says $expected; refusing to run it (pin another version of the action, or report this to its maintainers)" >&2
  rm -f "$archive"
  exit 2
fi

if [ "$ext" = zip ]; then
  unzip -q "$archive"
else
  tar xzf "$archive"
fi
program="$install_dir/$name/$exe"
if ! "$program" --version 2>/dev/null | grep -qx "docdex $version"; then
  fallback "the v$version release's $archive holds no docdex $version that runs here"
fi
{
  echo "prebuilt=true"
  echo "program=$program"
} >> "$output"
echo "docdex: installed docdex $version from the release archive (SHA-256 verified) in $((SECONDS - started)) s"
