#!/usr/bin/env bash
# Builds and tags one image per service of deploy/services.toml, and the all-in-one's.
#   deploy/docker/build.sh [TAG]      (default: the workspace version)
set -euo pipefail
cd "$(dirname "$0")/../.."
tag=${1:-$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)}
registry=${REGISTRY:-ghcr.io/tachawor}
build() {
  docker build -f deploy/docker/Dockerfile --build-arg PACKAGE="$1" --build-arg BINARY="$2" \
    -t "$registry/$2:$tag" .
}
python3 - <<'PY' | while read -r package binary; do build "$package" "$binary"; done
import tomllib
for s in tomllib.load(open("deploy/services.toml", "rb"))["services"]:
    print(s["package"], s["binary"])
PY
build tachawor-all-in-one tachawor
