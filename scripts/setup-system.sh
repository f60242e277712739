#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium for the e2e tests (Playwright cannot download
# its own browser here), gdb's gcore for the core-file tests, a Hangul font for the Korean UI, and Prometheus with promtool for the exporter's tests (without its
# recommended packages: node-exporter and friends are not needed). Idempotent: installs only what is missing. Needs root or sudo.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v pmap >/dev/null 2>&1 || need+=(procps)
# gcore (gdb) writes the core files the dump tests open.
command -v gcore >/dev/null 2>&1 || need+=(gdb)
# A Hangul font, so the Korean UI renders (and screenshots) in headless Chromium.
fc-list :lang=ko 2>/dev/null | grep -q . || need+=(fonts-nanum fontconfig)
lean=()
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || lean+=(prometheus)
if [ ${#need[@]} -eq 0 ] && [ ${#lean[@]} -eq 0 ]; then exit 0; fi
as_root=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
    echo "vmscope: the tests need these Debian packages: ${need[*]} ${lean[*]} (run as root: apt-get install ${need[*]} ${lean[*]})" >&2
    exit 1
  fi
fi
echo "vmscope: installing ${need[*]} ${lean[*]}"
"${as_root[@]}" apt-get update -qq
if [ ${#need[@]} -gt 0 ]; then DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${need[@]}" >/dev/null; fi
if [ ${#lean[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
fi
