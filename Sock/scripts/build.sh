#!/usr/bin/env bash
# Builds the native executable into artifacts/publish/.
#   scripts/build.sh          inside Amazon Linux 2023 with Docker (what Lambda runs: glibc 2.34)
#   scripts/build.sh --local  with the local .NET SDK and clang; check the result with `aot-lambda doctor`,
#                             since a newer distro's glibc can make it fail on Lambda.
set -euo pipefail
cd "$(dirname "$0")/.."

project='src/Sock/Sock.csproj'
rid='linux-x64'
platform='linux/amd64'
out='artifacts/publish'

rm -rf "$out"
mkdir -p "$out"
if [[ "${1:-}" == "--local" ]]; then
  dotnet publish "$project" -c Release -r "$rid" -o "$out"
else
  # BuildKit's local exporter writes files owned by the caller, not root.
  DOCKER_BUILDKIT=1 docker build --platform "$platform" --target export --output "type=local,dest=$out" .
fi
exe='artifacts/publish/bootstrap'
chmod 0755 "$exe"
echo "built $exe"
