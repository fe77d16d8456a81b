#!/usr/bin/env bash
# The Action's install step (action.yml): puts scan-secrets into $ROOT/bin.
# A release version (INPUT_VERSION, else the action's own tag ACTION_REF) installs that
# release's prebuilt binary through install.sh, verified against its SHA256SUMS; a checksum
# mismatch or any other error fails the step. A branch or commit, or a release without a
# binary for this runner (install.sh exit 3), is built from source with cargo, and the log
# says so.
#
# Environment: INPUT_VERSION, ACTION_REF, ACTION_REPO (owner/name), ROOT, GITHUB_ACTION_PATH
# (the action's checkout); SCAN_SECRETS_BASE_URL and SCAN_SECRETS_PLATFORM pass through to
# install.sh (tests).
set -euo pipefail
version="${INPUT_VERSION:-${ACTION_REF:-}}"
if [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  status=0
  sh "$GITHUB_ACTION_PATH/install.sh" --version "$version" --repo "$ACTION_REPO" --to "$ROOT/bin" || status=$?
  if [[ $status -eq 0 ]]; then
    exit 0
  fi
  if [[ $status -ne 3 ]]; then
    echo "::error::installing scan-secrets $version failed (install.sh exit $status); not falling back to a build"
    exit "$status"
  fi
  echo "::notice::no prebuilt scan-secrets $version for this runner: building it from source (about 5 minutes)"
else
  echo "::notice::scan-secrets ${version:-at this commit} is not a release version: building it from source (about 5 minutes)"
fi
if [[ -z "${INPUT_VERSION:-}" || "$INPUT_VERSION" == "${ACTION_REF:-}" ]]; then
  cargo install --path "$GITHUB_ACTION_PATH" --locked --root "$ROOT"
elif [[ "$INPUT_VERSION" =~ ^v?[0-9] ]]; then
  cargo install --git "https://github.com/$ACTION_REPO" --tag "v${INPUT_VERSION#v}" --locked --root "$ROOT" scan-secrets
else
  cargo install --git "https://github.com/$ACTION_REPO" --rev "$INPUT_VERSION" --locked --root "$ROOT" scan-secrets
fi
