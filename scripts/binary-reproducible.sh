#!/usr/bin/env bash
# Builds the binaries twice from the same tree and compares the SHA-256 of everything in dist/bin
# (binaries, .tar.xz): exits 1 and says which differ when a build is not reproducible.
set -euo pipefail
cd "$(dirname "$0")/.."
first=$(mktemp)
trap 'rm -f "$first"' EXIT
node scripts/build-binary.mjs
cat dist/bin/*.sha256 > "$first"
node scripts/build-binary.mjs
if diff "$first" <(cat dist/bin/*.sha256); then
  echo "reproducible: the two builds are byte-identical"
  cat "$first"
else
  echo "NOT reproducible: the lines above differ"
  exit 1
fi
