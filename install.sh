#!/bin/sh
# Installs a prebuilt scan-secrets from a GitHub release, after checking it against the
# release's SHA256SUMS. Nothing downloaded is run before it is verified, and nothing is piped
# into a shell.
#
# Usage: sh install.sh [--version X.Y.Z] [--to DIR] [--repo OWNER/NAME]
#
# Environment (the same settings; flags win):
#   SCAN_SECRETS_VERSION      version to install, without the v (default: the latest release)
#   SCAN_SECRETS_INSTALL_DIR  where the binary goes (default: ~/.local/bin)
#   SCAN_SECRETS_REPO         the GitHub repository of the releases (default below)
#   SCAN_SECRETS_BASE_URL     where releases live, for mirrors and tests:
#                             <base>/v<version>/<asset>, <base>/../latest/download/<asset>
#                             (default: https://github.com/<repo>/releases/download)
#   SCAN_SECRETS_PLATFORM     "<os> <arch>" instead of `uname -s` and `uname -m`
#
# Exit status: 0 installed; 2 error (unknown platform, download failure, checksum mismatch,
# bad archive); 3 the release has no binary for this platform, or there is no such release
# (build from source instead: cargo install --path . in a checkout).
set -eu

repo="${SCAN_SECRETS_REPO:-scan-secrets/scan-secrets}"
version="${SCAN_SECRETS_VERSION:-}"
dir="${SCAN_SECRETS_INSTALL_DIR:-${HOME:-.}/.local/bin}"
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="${2:?--version needs a value}"; shift 2 ;;
    --to) dir="${2:?--to needs a directory}"; shift 2 ;;
    --repo) repo="${2:?--repo needs OWNER/NAME}"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
version="${version#v}"
base="${SCAN_SECRETS_BASE_URL:-https://github.com/$repo/releases/download}"
base="${base%/}"

fail() { echo "install.sh: $1" >&2; exit "${2:-2}"; }

# The release target for this machine.
platform="${SCAN_SECRETS_PLATFORM:-$(uname -s) $(uname -m)}"
case "$platform" in
  "Linux x86_64"|"Linux amd64") target=x86_64-unknown-linux-musl ;;
  "Linux aarch64"|"Linux arm64") target=aarch64-unknown-linux-musl ;;
  "Darwin x86_64") target=x86_64-apple-darwin ;;
  "Darwin arm64"|"Darwin aarch64") target=aarch64-apple-darwin ;;
  MINGW*" x86_64"|MSYS*" x86_64"|CYGWIN*" x86_64"|"Windows_NT x86_64") target=x86_64-pc-windows-msvc ;;
  *) fail "no prebuilt scan-secrets for $platform; build it from source (cargo install --path . in a checkout)" ;;
esac

if [ -n "$version" ]; then
  from="$base/v$version"
else
  from="${base%/download}/latest/download"
fi

# fetch URL FILE: 0 downloaded, 3 not found (HTTP 404), 2 any other failure.
fetch() {
  if command -v curl >/dev/null 2>&1; then
    code=$(curl -sSL -o "$2" -w '%{http_code}' "$1") || return 2
    case "$code" in
      200) return 0 ;;
      404) return 3 ;;
      *) echo "install.sh: $1: HTTP $code" >&2; return 2 ;;
    esac
  elif command -v wget >/dev/null 2>&1; then
    out=$(wget -q -S -O "$2" "$1" 2>&1) && return 0
    case "$out" in
      *" 404 "*) return 3 ;;
      *) echo "install.sh: $1: download failed" >&2; return 2 ;;
    esac
  else
    fail "neither curl nor wget is installed"
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# get NAME MISSING: downloads $from/NAME into $tmp; a 404 ends with MISSING and exit 3.
get() {
  status=0
  fetch "$from/$1" "$tmp/$1" || status=$?
  case "$status" in
    0) ;;
    3) fail "$2" 3 ;;
    *) fail "cannot download $from/$1" ;;
  esac
}

get SHA256SUMS "no release ${version:-latest} at $from (SHA256SUMS not found)"

# The line of SHA256SUMS for this target: `<hash>  scan-secrets-<version>-<target>.<ext>`.
line=$(grep -E "^[0-9a-f]{64}  scan-secrets-[0-9A-Za-z.+-]+-$target\.(tar\.gz|zip)$" "$tmp/SHA256SUMS" | head -n 1) || true
[ -n "$line" ] || fail "release ${version:-latest} has no binary for $target" 3
want=${line%% *}
asset=${line##* }

get "$asset" "release ${version:-latest} lists $asset but it is not there"
got=$(sha256 "$tmp/$asset")
[ "$got" = "$want" ] || fail "checksum mismatch for $asset: SHA256SUMS says $want, the download is $got; refusing to install it"

mkdir -p "$tmp/x"
case "$asset" in
  *.zip) unzip -q "$tmp/$asset" -d "$tmp/x" || fail "cannot unpack $asset" ;;
  *) tar -xzf "$tmp/$asset" -C "$tmp/x" || fail "cannot unpack $asset" ;;
esac
exe=scan-secrets
[ "$target" = x86_64-pc-windows-msvc ] && exe=scan-secrets.exe
bin=$(find "$tmp/x" -type f -name "$exe" | head -n 1)
[ -n "$bin" ] || fail "$asset holds no $exe"

mkdir -p "$dir" || fail "cannot create $dir"
# Copy next to the target, then rename: a running scan-secrets is never half overwritten.
cp "$bin" "$dir/.$exe.new" && chmod 755 "$dir/.$exe.new" && mv -f "$dir/.$exe.new" "$dir/$exe" ||
  fail "cannot install into $dir"
echo "install.sh: installed $asset (sha256 $want) as $dir/$exe"
case ":${PATH:-}:" in
  *":$dir:"*) ;;
  *) echo "install.sh: note: $dir is not on PATH" >&2 ;;
esac
