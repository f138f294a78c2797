#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 for the browser) and headless Chromium for
# the editor tests, offline: only the npm registry and Debian's apt are used.
#
#   bash test/e2e/setup/install-code-server.sh
#
# Idempotent and cached by version: the result lives in .tools/code-server-<version>/
# (git-ignored) with a stamp file; a second run only checks and prints the version.
# Prints the path of the code-server launcher on its last line of stdout.
#
# Why not a plain `npm install code-server`: its postinstall downloads ripgrep and
# prebuilt native modules from the internet. Here scripts are skipped, ripgrep comes
# from Debian and the native modules are compiled against the local Node headers.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
TOOLS="$ROOT/.tools"
DEST="$TOOLS/code-server-$VERSION"
STAMP="$DEST/.installed"
LAUNCHER="$DEST/node_modules/code-server/out/node/entry.js"

log() { printf '[install-code-server] %s\n' "$*" >&2; }
T0=$SECONDS
step_start=$SECONDS
step() { # step <name>: prints the time spent on the previous step
  local now=$SECONDS
  [ -n "${STEP_NAME:-}" ] && log "  done: $STEP_NAME ($((now - step_start)) s)"
  STEP_NAME="$1"; step_start=$now
  [ -n "$1" ] && log "step: $1"
  return 0
}

# ---------------------------------------------------------------- Debian packages
APT_PKGS=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium
          make g++ python3 ca-certificates)
missing=()
for p in "${APT_PKGS[@]}"; do
  if [ "$p" = python3 ] && command -v python3 >/dev/null 2>&1; then continue; fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---------------------------------------------------------------- cached?
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$VERSION" ] && [ -f "$LAUNCHER" ]; then
  step ""
  log "code-server $VERSION already installed in ${DEST#$ROOT/} ($((SECONDS - T0)) s)"
  echo "$LAUNCHER"
  exit 0
fi

# ---------------------------------------------------------------- code-server
NODE_BIN="$(command -v node)"
NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$NODE_BIN")")")"
NPM_CLI_DIR="$(dirname "$(readlink -f "$(command -v npm)")")/.."
NODE_GYP="$(readlink -f "$NPM_CLI_DIR")/node_modules/node-gyp/bin/node-gyp.js"
if [ ! -f "$NODE_GYP" ]; then
  NODE_GYP="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
fi
[ -f "$NODE_GYP" ] || { log "cannot find npm's bundled node-gyp"; exit 1; }
# Compile against the installed Node headers: node-gyp would otherwise download them.
GYP_ARGS=(rebuild "--jobs=$(nproc 2>/dev/null || echo 2)")
if [ -f "$NODE_PREFIX/include/node/node.h" ]; then
  GYP_ARGS+=("--nodedir=$NODE_PREFIX")
fi
gyp() { ( cd "$1" && node "$NODE_GYP" "${GYP_ARGS[@]}" --loglevel=error >/dev/null ); }

rm -rf "$DEST"
mkdir -p "$DEST"
echo '{"name":"kzt-e2e-tools","private":true}' > "$DEST/package.json"

step "npm install code-server@$VERSION (scripts skipped)"
npm install --prefix "$DEST" --ignore-scripts --no-audit --no-fund --loglevel=error \
  "code-server@$VERSION" >&2

VSCODE_DIR="$DEST/node_modules/code-server/lib/vscode"

step "npm install in lib/vscode"
( cd "$VSCODE_DIR" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2 )

step "npm install in lib/vscode/extensions"
( cd "$VSCODE_DIR/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2 )

step "ripgrep from Debian"
mkdir -p "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg"

for mod in kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog node-pty; do
  step "node-gyp rebuild $mod"
  gyp "$VSCODE_DIR/node_modules/$mod"
done

# argon2's binding.gyp needs the variables node-pre-gyp derives from its package.json.
step "node-pre-gyp rebuild argon2"
( cd "$DEST/node_modules/argon2" &&
  npm_config_node_gyp="$NODE_GYP" node ../@mapbox/node-pre-gyp/bin/node-pre-gyp rebuild \
    --build-from-source "${GYP_ARGS[@]:1}" --loglevel=error >/dev/null )

ln -sfn node_modules "$VSCODE_DIR/node_modules.asar"

step "check"
# (XDG_CONFIG_HOME: code-server writes a default config file on any start)
out="$(XDG_CONFIG_HOME="$DEST/.config" node "$LAUNCHER" --version)"
log "code-server --version: $(echo "$out" | tr '\n' ' ')"
case "$out" in
  *"$VERSION"*"Code 1.100.3"*|*"$VERSION"*) ;;
  *) log "unexpected version output"; exit 1 ;;
esac
echo "$VERSION" > "$STAMP"
step ""
log "installed code-server $VERSION in ${DEST#$ROOT/} in $((SECONDS - T0)) s"
echo "$LAUNCHER"
