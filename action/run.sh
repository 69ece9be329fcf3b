#!/usr/bin/env bash
# The GitHub Action's step: find the commit to compare with, make sure the checkout has
# it and the merge-base, and run docdex. Reads only DOCDEX_* variables (see action.yml),
# so it can be tested outside GitHub.
set -euo pipefail

zeros=0000000000000000000000000000000000000000
# The program the install step chose (docdex on PATH when run by hand).
docdex="${DOCDEX_PROGRAM:-docdex}"
read -r -a extra <<< "${DOCDEX_ARGS:-}"

if [ "${DOCDEX_FIX:-false}" = "true" ]; then
  exec "$docdex" check --fix "${extra[@]}"
fi

base=""
case "${DOCDEX_EVENT:-}" in
  pull_request | pull_request_target)
    base="${DOCDEX_PR_BASE:-}"
    ;;
  merge_group)
    # The queue's merge commit is checked against the tip of the branch it enters.
    base="${DOCDEX_MERGE_GROUP_BASE:-}"
    ;;
  push)
    base="${DOCDEX_PUSH_BEFORE:-}"
    if [ "$base" = "$zeros" ]; then
      # A new branch: compare with the default branch, if it can be fetched.
      base=""
      if [ -n "${DOCDEX_DEFAULT_BRANCH:-}" ] &&
        git fetch --no-tags --quiet origin "$DOCDEX_DEFAULT_BRANCH" 2>/dev/null; then
        base=$(git rev-parse FETCH_HEAD)
      fi
    fi
    ;;
esac

if [ -z "$base" ]; then
  echo "docdex: no base commit for a '${DOCDEX_EVENT:-unknown}' event; checking every page" >&2
  exec "$docdex" check "${extra[@]}"
fi

# A shallow checkout may lack the base commit or the history down to the merge-base.
if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  git fetch --no-tags --quiet origin "$base" || true
fi
if [ "$(git rev-parse --is-shallow-repository)" = "true" ]; then
  for _ in 1 2 3 4 5 6; do
    git merge-base "$base" HEAD >/dev/null 2>&1 && break
    git fetch --no-tags --quiet --deepen=200 origin "$base" HEAD 2>/dev/null ||
      git fetch --no-tags --quiet --deepen=200 origin || true
  done
  if ! git merge-base "$base" HEAD >/dev/null 2>&1; then
    git fetch --no-tags --quiet --unshallow origin || true
  fi
fi

exec "$docdex" check --base "$base" "${extra[@]}"
