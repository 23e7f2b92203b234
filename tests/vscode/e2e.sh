#!/usr/bin/env bash
# The VS Code tests, in a real VS Code workbench (code-server from npm + Debian Chromium): the one entry point for CI.
#   1. installs what they need outside the repository (tests/vscode/install.sh, cached in $MPLAN_E2E_HOME);
#   2. type-checks the extension, bundles it and the test suite with esbuild, packages the .vsix (dist/mplan-*.vsix);
#   3. runs the extension-host integration tests (tests/vscode/suite) with the .vsix installed, then its Restricted
#      Mode tests in a workspace the workbench does not trust;
#   4. runs the end-to-end test through the user interface (tests/vscode/run-ui.mjs), then the same plan in a
#      workspace the user does not trust (Restricted Mode).
# Screenshots go to tests/artifacts/. Ends with "N passed, N failed"; exits non-zero on any failure.
#   bash tests/vscode/e2e.sh [--update-screenshot]   (the latter also writes docs/images/extension.png)
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export MPLAN_E2E_HOME=${MPLAN_E2E_HOME:-$HOME/.cache/mplan-e2e}
ARTIFACTS=$ROOT/tests/artifacts
mkdir -p "$ARTIFACTS" "$MPLAN_E2E_HOME/tmp"
rm -f "$ARTIFACTS"/e2e-*.png "$ARTIFACTS"/exthost-*.png
t0=$(date +%s)
say() { echo "[e2e $(( $(date +%s) - t0 ))s] $*"; }
fail_setup() { say "$1"; echo "0 passed, 1 failed"; exit 1; }

say "installing the workbench"
bash tests/vscode/install.sh || fail_setup "install failed"
[ -d node_modules/@vscode/vsce ] || npm ci --no-audit --no-fund || fail_setup "npm ci failed"

say "type-checking the extension and the suite"
node_modules/.bin/tsc -p src/extension/tsconfig.json || fail_setup "the extension does not type-check"

say "bundling and packaging"
node esbuild.mjs --tests || fail_setup "esbuild failed"
VERSION=$(node -p "require('./package.json').version")
VSIX=$ROOT/dist/mplan-$VERSION-linux-x64.vsix
node scripts/package-vsix.mjs --no-bundle --out "$VSIX" > "$ARTIFACTS/package.log" 2>&1 || { cat "$ARTIFACTS/package.log"; fail_setup "packaging failed"; }
tail -1 "$ARTIFACTS/package.log"

WORK=$(mktemp -d "$MPLAN_E2E_HOME/tmp/work-XXXX")
trap 'rm -rf "$WORK"' EXIT
node tests/vscode/make-workspace.mjs "$WORK/exthost-ws" > /dev/null || fail_setup "no test workspace"
LINE=$(node tests/vscode/make-workspace.mjs "$WORK/ui-ws") || fail_setup "no test workspace"
node tests/vscode/make-workspace.mjs "$WORK/restricted-ws" > /dev/null || fail_setup "no test workspace"
node tests/vscode/make-workspace.mjs "$WORK/exthost-restricted-ws" > /dev/null || fail_setup "no test workspace"

say "extension-host tests"
node tests/vscode/run-exthost.mjs --vsix "$VSIX" --suite dist/test/suite.cjs --workspace "$WORK/exthost-ws" --results "$WORK/exthost.json" \
  --artifacts "$ARTIFACTS"
exthost_rc=$?

say "extension-host tests in Restricted Mode"
node tests/vscode/run-exthost.mjs --vsix "$VSIX" --suite dist/test/suite.cjs --workspace "$WORK/exthost-restricted-ws" --results "$WORK/exthost-restricted.json" \
  --artifacts "$ARTIFACTS" --restricted
restricted_rc=$?

say "UI end-to-end test"
SHOT=()
[ "${1:-}" = "--update-screenshot" ] && SHOT=(--readme-screenshot "$ROOT/docs/images/extension.png")
node tests/vscode/run-ui.mjs --vsix "$VSIX" --workspace "$WORK/ui-ws" --line "$LINE" --artifacts "$ARTIFACTS" --results "$WORK/ui.json" \
  --restricted-workspace "$WORK/restricted-ws" "${SHOT[@]}"
ui_rc=$?

count() { node -e "try { const r = require(process.argv[1]); console.log(r[process.argv[2]]) } catch { console.log(process.argv[2] === 'failed' ? 1 : 0) }" "$1" "$2"; }
passed=$(( $(count "$WORK/exthost.json" passed) + $(count "$WORK/exthost-restricted.json" passed) + $(count "$WORK/ui.json" passed) ))
failed=$(( $(count "$WORK/exthost.json" failed) + $(count "$WORK/exthost-restricted.json" failed) + $(count "$WORK/ui.json" failed) ))
if [ $exthost_rc -ne 0 ] || [ $restricted_rc -ne 0 ] || [ $ui_rc -ne 0 ]; then [ $failed -eq 0 ] && failed=1; fi
say "done: screenshots in tests/artifacts/"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
