#!/usr/bin/env bash
# Zips the executable at the root of artifacts/Sock.zip, mode 0755, as Lambda requires.
set -euo pipefail
cd "$(dirname "$0")/.."

exe='artifacts/publish/bootstrap'
zip_file='artifacts/Sock.zip'

if [[ ! -f "$exe" ]]; then
  echo "error: $exe not found: run scripts/build.sh first" >&2
  exit 1
fi
chmod 0755 "$exe"
rm -f "$zip_file"
# -j stores the file at the zip root; -X leaves out extra attributes so the zip is reproducible.
zip -j -X -q "$zip_file" "$exe"
echo "packaged $zip_file ($(wc -c <"$zip_file") bytes)"
