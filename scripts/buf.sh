#!/usr/bin/env bash
# Runs buf on proto/, installing it from PyPI (package buf-bin) into target/tools when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
buf=$(command -v buf || true)
if [ -z "$buf" ]; then
  venv=target/tools/buf
  if [ ! -x "$venv/bin/buf" ]; then
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
      # Debian ships venv separately.
      as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
      as_root apt-get update -qq
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
      rm -rf "$venv"
      python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install -q buf-bin
  fi
  buf=$PWD/$venv/bin/buf
fi
cd proto
exec "$buf" "$@"
