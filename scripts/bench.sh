#!/usr/bin/env bash
# Every benchmark, each figure beside a baseline measured in the same run. Each bench prints one
# line per figure: RESULT<TAB>figure<TAB>value<TAB>baseline<TAB>ratio<TAB>target<TAB>PASS|FAIL.
# This script runs them, prints the table and writes it to docs/benchmarks.md with the machine
# it ran on. It exits 1 when a target is missed or a bench fails.
#
# BENCH_ONLY="events pages" runs only the benches named (docs/benchmarks.md is then left alone).
set -uo pipefail
cd "$(dirname "$0")/.."

# package and bench target, in the order they run
benches=(
  "tachawor-training registrations"
  "tachawor-all-in-one footprint"
  "tachawor-all-in-one pages"
  "tachawor-all-in-one burst"
  "tachawor-all-in-one reads"
  "tachawor-all-in-one events"
  "tachawor-reporting volume"
)
only=${BENCH_ONLY:-}

echo "building the release binaries the benches start…"
cargo build --release --bins -p tachawor-all-in-one -p tachawor-identity -p tachawor-reporting \
  -p tachawor-consultation -p tachawor-training || exit 1

results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
for entry in "${benches[@]}"; do
  read -r package bench <<<"$entry"
  if [ -n "$only" ] && ! grep -qw -- "$bench" <<<"$only"; then
    continue
  fi
  echo
  echo "== $bench"
  out=$(cargo bench -p "$package" --bench "$bench" 2>&1 | tee >(cat >&2))
  code=${PIPESTATUS[0]}
  found=$(grep -c $'^RESULT\t' <<<"$out" || true)
  if [ "$code" -ne 0 ] || [ "$found" -eq 0 ]; then
    echo "bench $bench failed (exit $code, $found figures)" >&2
    printf 'RESULT\t%s\tdid not finish (exit %s)\t\t\t\tFAIL\n' "$bench" "$code" >>"$results"
    status=1
  fi
  grep $'^RESULT\t' <<<"$out" >>"$results"
done

grep -q $'\tFAIL$' "$results" && status=1

table() {
  echo "| figure | value | baseline (same run) | ratio | target | result |"
  echo "|---|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7 }' "$results"
}

machine() {
  local cpu mem pg nats
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
  pg=$(psql -At "${TACHAWOR_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" \
    -c 'SHOW server_version' 2>/dev/null || echo unknown)
  nats=$( (nats-server --version || /usr/sbin/nats-server --version) 2>/dev/null | head -n 1)
  echo "- when: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- machine: $(nproc) cores ($cpu), $mem of memory, Linux $(uname -r)"
  echo "- PostgreSQL $pg (fsync and synchronous commit as configured on the machine), ${nats:-NATS server}"
}

echo
table
if [ -z "$only" ]; then
  {
    echo "# Benchmarks"
    echo
    echo "Written by \`make bench\` (scripts/bench.sh) from its last full run. Every figure is"
    echo "measured beside its baseline in the same run, on the same machine; the ratio is what the"
    echo "target is about (these machines are noisy, so absolute figures vary from run to run)."
    echo "What each bench does and why its baseline is the right one is in the bench's own doc"
    echo "comment (services/*/benches/)."
    echo
    machine
    echo
    table
  } >docs/benchmarks.md
  echo
  echo "written to docs/benchmarks.md"
fi
exit $status
