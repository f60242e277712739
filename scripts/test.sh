#!/usr/bin/env bash
# Every test vmscope has, as `npm test` runs them: system packages, build, types, lint, unit and
# integration tests (vitest), e2e in Chromium (Playwright), and the Windows source under Wine.
# Ends with one line: "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
# Results of an earlier run must not count if a runner dies before writing its own.
rm -f test-results/vitest-results.json test-results/e2e-results.json test-results/windows-summary.json
status=0
failed_steps=()
step() { echo; echo "== $*"; }
fail() { status=1; failed_steps+=("$1"); }

step "system packages"; bash scripts/setup-system.sh || exit 1
step "build"; npm run -s build >test-results/build.log 2>&1 || { cat test-results/build.log; exit 1; }
step "typecheck"; npm run -s typecheck || fail typecheck
step "lint"; npm run -s lint || fail lint
step "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest-results.json || fail vitest
step "e2e (Playwright, Chromium)"
npx playwright test || fail e2e
if [ -f scripts/test-windows.sh ]; then
  step "Windows source under Wine"
  bash scripts/test-windows.sh || fail windows
fi
[ ${#failed_steps[@]} -eq 0 ] || echo "failed steps: ${failed_steps[*]}"
node scripts/test-summary.mjs || status=1
exit $status
