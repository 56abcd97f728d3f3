#!/usr/bin/env bash
# Installs what the VS Code integration tests need on a fresh Debian (bookworm) machine that
# reaches only the npm registry and Debian's apt mirrors. Safe to re-run: every step checks
# first and is skipped when already done, so a second run takes about a second.
#
#   scripts/install-test-deps.sh
#
# Needs root for apt (or sudo, if present). See docs/real-vscode-offline.md for the why.
set -euo pipefail

export CI=true
export DEBIAN_FRONTEND=noninteractive

readonly CODE_SERVER_VERSION=4.100.3
# code-server 4.100.3 bundles @vscode/ripgrep 1.15.11, whose postinstall wants this exact
# asset from GitHub; GitHub is unreachable here, so the cache is seeded with Debian's rg.
readonly RIPGREP_CACHE_NAME=vscode-ripgrep-cache-1.15.11
readonly RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
readonly APT_PACKAGES=(chromium libkrb5-dev pkg-config ripgrep docker-compose)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly TEST_DIR="$ROOT/.vscode-test"
readonly CS_DIR="$TEST_DIR/code-server"
# A TMPDIR of our own: the ripgrep cache must be where the postinstall looks (it uses
# os.tmpdir()), and it then survives /tmp cleaners between runs.
readonly CS_TMP="$TEST_DIR/tmp"

T0=$(date +%s)
step_start=0
log() { printf '[install-test-deps] %s\n' "$*"; }
begin() {
  step_start=$(date +%s)
  log "$*"
}
done_step() { log "  done in $(($(date +%s) - step_start)) s"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    log "need root for: $*" >&2
    exit 1
  fi
}

# --- 0. sanity -------------------------------------------------------------------------
if [ "$(uname -m)" != x86_64 ]; then
  # The seeded ripgrep asset name is x86_64-only; other arches would need another name.
  log "unsupported architecture $(uname -m) (only x86_64 is handled)" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  # code-server 4.100.3 declares engines.node "20" and ships native modules built for it.
  log "code-server $CODE_SERVER_VERSION needs Node 20, found $(node --version)" >&2
  exit 1
fi

# --- 1. apt packages -------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  log "apt: ${APT_PACKAGES[*]} already installed, skipping"
else
  begin "apt: installing ${missing[*]}"
  as_root apt-get update -q </dev/null
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
  done_step
fi

# --- 2. seed the @vscode/ripgrep download cache ----------------------------------------
rg_tgz="$CS_TMP/$RIPGREP_CACHE_NAME/$RIPGREP_ASSET"
if [ -s "$rg_tgz" ]; then
  log "ripgrep cache already seeded: $rg_tgz"
else
  begin "ripgrep: seeding $rg_tgz from $(command -v rg) ($(rg --version | head -n1))"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cp "$(command -v rg)" "$work/rg"
  mkdir -p "$(dirname "$rg_tgz")"
  # Write then rename, so an interrupted run never leaves a truncated archive that the
  # check above would mistake for a good one.
  tar -czf "$rg_tgz.part" -C "$work" rg
  mv "$rg_tgz.part" "$rg_tgz"
  rm -rf "$work"
  trap - EXIT
  done_step
fi

# --- 3. code-server into .vscode-test/code-server (not the project's node_modules) ------
cs_entry="$CS_DIR/node_modules/code-server/out/node/entry.js"
installed_version() {
  node -p "require('$CS_DIR/node_modules/code-server/package.json').version" 2>/dev/null || true
}
# The marker is written only after a complete install: npm can leave a package.json behind
# when a postinstall (node-pty, kerberos, ripgrep) fails halfway.
marker="$CS_DIR/.installed-$CODE_SERVER_VERSION"
if [ -f "$marker" ] && [ "$(installed_version)" = "$CODE_SERVER_VERSION" ] && [ -f "$cs_entry" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in $CS_DIR"
else
  begin "code-server: npm install code-server@$CODE_SERVER_VERSION into $CS_DIR"
  rm -f "$CS_DIR"/.installed-*
  mkdir -p "$CS_DIR"
  # Its own package.json stops npm from walking up to the project's and adding a dependency.
  if [ ! -f "$CS_DIR/package.json" ]; then
    printf '{ "name": "vscode-test-code-server", "private": true }\n' >"$CS_DIR/package.json"
  fi
  (
    cd "$CS_DIR"
    # unsafe_perm: as root, npm 11 otherwise skips the postinstall that builds lib/vscode.
    # yes: node-pty's postinstall runs `npx node-gyp`, which would prompt.
    TMPDIR="$CS_TMP" npm_config_yes=true npm_config_unsafe_perm=true \
      npm install --no-audit --no-fund --loglevel=warn \
      "code-server@$CODE_SERVER_VERSION" </dev/null
  )
  "$(command -v node)" "$cs_entry" --version >/dev/null
  touch "$marker"
  done_step
fi

log "code-server: $(node "$cs_entry" --version | head -n1)"
log "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"
log "docker-compose: $(docker-compose version --short 2>/dev/null || echo missing)"
log "all done in $(($(date +%s) - T0)) s"
