#!/usr/bin/env bash
# What the portal's tests need: node, Debian's chromium with fonts that shape Arabic, the npm
# packages of tests/browser (playwright-core, axe-core), poppler's pdftotext and pdftoppm and
# zbar's zbarimg for the certificate PDF, and openapi-spec-validator (PyPI, in
# target/tools/openapi) for the portal's OpenAPI document. Installs whatever is missing;
# Playwright's own browser download is never used.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  command -v apt-get >/dev/null || { echo "cannot install $* here: no apt-get" >&2; exit 1; }
  if [ -z "${apt_updated:-}" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
fc-list 2>/dev/null | grep -i "noto naskh arabic" >/dev/null || missing+=(fonts-noto-core)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v zbarimg >/dev/null || missing+=(zbar-tools)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing for the browser tests: ${missing[*]}"
  apt_install "${missing[@]}"
fi

lock=tests/browser/package-lock.json
stamp=tests/browser/node_modules/.installed-lock
if ! cmp -s "$lock" "$stamp" 2>/dev/null; then
  echo "installing the browser tests' npm packages"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
  cp "$lock" "$stamp"
fi
venv=target/tools/openapi
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
  echo "installing openapi-spec-validator into $venv"
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    apt_install python3-venv   # Debian ships venv separately
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q 'openapi-spec-validator==0.9.0'
fi

echo "browser tests ready: $(node --version), $("${CHROMIUM_PATH:-/usr/bin/chromium}" --version 2>/dev/null | head -n 1)"
