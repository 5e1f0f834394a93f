#!/usr/bin/env bash
# Benchmarks beside PostgreSQL's own figure, on the same database server in the same run:
# training's Register (a row, a seat count and an outbox event per call, over gRPC, with an
# eligibility call to identity) against pgbench running a one-row INSERT transaction on a fresh
# database, for the same duration and number of clients.
set -euo pipefail
cd "$(dirname "$0")/.."
admin_url=${TACHAWOR_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -n 1)
[ -x "$pgbench" ] || { echo "pgbench not found (install postgresql-contrib or postgresql-client)" >&2; exit 1; }

out=$(cargo bench -p tachawor-training --bench registrations 2>&1 | tee /dev/stderr)
rate=$(sed -n 's/^REGISTRATIONS_PER_SEC=//p' <<<"$out")
secs=$(sed -n 's/^DURATION_SECS=//p' <<<"$out")
clients=$(sed -n 's/^CONCURRENCY=//p' <<<"$out")
[ -n "$rate" ] || { echo "the registration benchmark printed no figure" >&2; exit 1; }

db="bench_pgbench_$$"
base=${admin_url%%\?*}
db_url="${base%/*}/$db"
psql -q "$admin_url" -c "CREATE DATABASE $db"
trap 'psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
psql -q "$db_url" -c "CREATE TABLE one_row (id BIGSERIAL PRIMARY KEY, session_id TEXT NOT NULL, account_id TEXT NOT NULL, created_at BIGINT NOT NULL)"
script=$(mktemp)
cat >"$script" <<'SQL'
BEGIN;
INSERT INTO one_row (session_id, account_id, created_at) VALUES ('s', md5(random()::text), 0);
COMMIT;
SQL
tps=$("$pgbench" -n -c "$clients" -j 2 -T "$secs" -f "$script" "$db_url" 2>/dev/null \
  | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
rm -f "$script"

echo
echo "training Register:                 $rate registrations/s"
echo "pgbench one-row INSERT ($clients clients, ${secs}s): $tps transactions/s"
awk -v r="$rate" -v t="$tps" 'BEGIN { printf "ratio: %.2f (target: at least 0.50)\n", r / t }'
