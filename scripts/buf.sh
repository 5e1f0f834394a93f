#!/usr/bin/env bash
# Runs buf on proto/, installing it from PyPI (package buf-bin) into target/tools when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
buf=$(command -v buf || true)
if [ -z "$buf" ]; then
  venv=target/tools/buf
  if [ ! -x "$venv/bin/buf" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q buf-bin
  fi
  buf=$PWD/$venv/bin/buf
fi
cd proto
exec "$buf" "$@"
