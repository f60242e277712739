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
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest-results.json
vitest_rc=$?; [ $vitest_rc -eq 0 ] || fail vitest
step "e2e (Playwright, Chromium)"
npx playwright test
e2e_rc=$?; [ $e2e_rc -eq 0 ] || fail e2e
step "Windows source under Wine"
bash scripts/test-windows.sh
windows_rc=$?; [ $windows_rc -eq 0 ] || fail windows
[ ${#failed_steps[@]} -eq 0 ] || echo "failed steps: ${failed_steps[*]}"
# Each runner's exit code goes to the summary: one that failed without a failed test still counts.
node scripts/test-summary.mjs --exit vitest=$vitest_rc --exit e2e=$e2e_rc --exit windows=$windows_rc || status=1
exit $status
