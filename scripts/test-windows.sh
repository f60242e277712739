#!/usr/bin/env bash
# Runs the Windows source's tests for real under Wine: bundles test/windows/*.wine.ts with the
# source, and the CLI (esbuild; koffi stays external and resolves to .cache/wine/node_modules, the
# CLI's other packages to the repository's node_modules), runs the bundle
# with Windows Node's test runner, prints the TAP report and a one-line summary, and writes the
# summary to test-results/windows-summary.json. Exits non-zero on any failure.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/wine"
run="$cache/run"
results="$root/test-results"

[ -f "$cache/prefix.ready" ] && [ -f "$cache/node.exe" ] && [ -f "$cache/node32/node.exe" ] &&
  [ -f "$cache/prefix/drive_c/windows/syswow64/kernel32.dll" ] && [ -d "$cache/node_modules/koffi" ] ||
  bash "$root/scripts/setup-wine.sh"

rm -rf "$run"
mkdir -p "$run" "$results"
bundles=()
for test_file in "$root"/test/windows/*.wine.ts; do
  name=$(basename "$test_file" .wine.ts)
  # Under the bundle's directory, so node_modules resolution finds .cache/wine/node_modules/koffi.
  "$root/node_modules/.bin/esbuild" "$test_file" --bundle --platform=node --format=esm --target=node20 \
    --external:koffi --log-level=warning --outfile="$run/$name.test.mjs"
  bundles+=("$name.test.mjs")
done

# The CLI too (its service worker, the registry's default source), as the tests run it.
"$root/node_modules/.bin/esbuild" "$root/src/cli/main.ts" --bundle --platform=node --format=esm --target=node20 \
  --external:koffi --external:ws --external:commander --external:zod --external:prom-client --log-level=warning --outfile="$run/cli.mjs"

export WINEPREFIX="$cache/prefix" WINEDEBUG=-all NODE_SKIP_PLATFORM_CHECK=1 WINEDLLOVERRIDES='mscoree,mshtml='
tap="$run/report.tap"
# Under Wine a Windows program's stdout to a pipe fails (EBADF): the report goes to a file.
status=0
# A hung run is cut off after 15 minutes (a normal one takes about 1).
(cd "$run" && timeout 900 /usr/lib/wine/wine64 "$cache/node.exe" --test --test-reporter=tap \
  --test-reporter-destination=report.tap "${bundles[@]}" >"$run/stdout.log" 2>&1) || status=$?
# Ends whatever a failed run left behind in our prefix (a child node.exe, say).
/usr/lib/wine/wineserver -k 2>/dev/null || true

if [ ! -s "$tap" ]; then
  echo "test-windows: no TAP report (node.exe exited with $status); its output:" >&2
  cat "$run/stdout.log" >&2
  : >"$tap"
fi
cat "$tap"

count() {
  local value
  value=$(sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$tap" | tail -n 1)
  echo "${value:-0}"
}
passed=$(count pass)
failed=$(( $(count fail) + $(count cancelled) ))
skipped=$(( $(count skipped) + $(count todo) ))
# A run that died before its summary (a crash, an out-of-memory abort) is a failure.
grep -q '^# tests ' "$tap" || failed=$(( failed + 1 ))
# The skipped tests with their reasons (`ok N - name # SKIP reason`), so the totals can show why,
# and the failed ones (`not ok N - name`, leaves only: a suite fails with its test) by name.
PASSED=$passed FAILED=$failed SKIPPED=$skipped node -e '
  const { readFileSync } = require("node:fs");
  const skips = [];
  const failures = [];
  const lines = readFileSync(process.argv[1], "utf8").split("\n");
  lines.forEach((line, i) => {
    const m = /^\s*ok \d+ - (.*?) # SKIP ?(.*)$/.exec(line);
    if (m) skips.push({ name: m[1], reason: m[2] || "(no reason given)" });
    const f = /^\s*not ok \d+ - (.*)$/.exec(line);
    if (!f) return;
    // A failed suite repeats its failed tests: keep the leaves, whose YAML block (from `---` to
    // `...` under the line) does not say type: suite.
    let end = i + 1;
    if (/^\s*---$/.test(lines[end] ?? "")) while (end < lines.length && !/^\s*\.\.\.$/.test(lines[end])) end++;
    if (!lines.slice(i + 1, end).some((l) => /^\s*type: .suite.$/.test(l))) failures.push({ name: f[1] });
  });
  const n = (v) => Number(process.env[v]);
  console.log(JSON.stringify({ passed: n("PASSED"), failed: n("FAILED"), skipped: n("SKIPPED"), skips, failures }));
' "$tap" >"$results/windows-summary.json"
echo "windows: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
