#!/usr/bin/env bash
# Finds PostgreSQL and NATS (with JetStream) for the tests, or starts them; on a Debian machine
# without them, installs Debian's packages first. Honours TACHAWOR_TEST_DATABASE_URL and
# TACHAWOR_TEST_NATS_URL when they point elsewhere (then it only checks they answer).
#
# The tests' NATS runs with accounts, users and permissions (libs/testkit/nats/test.conf), so
# the tests prove that each service's user is confined; it gets its own port (4322 unless
# TACHAWOR_TEST_NATS_URL says otherwise), never the machine's default server on 4222. The tests
# connect as its admin: TACHAWOR_TEST_NATS_USER=admin, TACHAWOR_TEST_NATS_PASSWORD=admin-test
# (the Makefile exports these three).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
pg_url="${TACHAWOR_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
nats_url="${TACHAWOR_TEST_NATS_URL:-nats://127.0.0.1:4322}"

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

host_port() { # url -> "host port"
  local rest=${1#*://}; rest=${rest#*@}; rest=${rest%%/*}; rest=${rest%%\?*}
  local host=${rest%%:*} port=${rest##*:}
  [ "$host" = "$rest" ] && port=$2
  echo "$host $port"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  command -v apt-get >/dev/null || { echo "cannot install $* here: no apt-get" >&2; exit 1; }
  if [ -z "${apt_updated:-}" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # host port what
  for _ in $(seq 1 100); do port_open "$1" "$2" && return 0; sleep 0.2; done
  echo "$3 did not start listening on $1:$2" >&2; exit 1
}

read -r pg_host pg_port <<<"$(host_port "$pg_url" 5432)"
if ! port_open "$pg_host" "$pg_port"; then
  case "$pg_host" in 127.0.0.1|localhost) ;; *) echo "PostgreSQL at $pg_host:$pg_port does not answer" >&2; exit 1;; esac
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "installing PostgreSQL (Debian package)"
    apt_install postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  conf=/etc/postgresql/$version/main
  # Tests connect over TCP as postgres without a password.
  if ! grep -q "^host all all 127.0.0.1/32 trust" "$conf/pg_hba.conf"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$conf/pg_hba.conf"
  fi
  echo "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for "$pg_host" "$pg_port" PostgreSQL
fi

read -r nats_host nats_port <<<"$(host_port "$nats_url" 4222)"
nats_conf="$root/libs/testkit/nats/test.conf"
store=${TMPDIR:-/tmp}/tachawor-nats-$nats_port
# A test NATS this script started from another version of test.conf (a service or user added
# since) is restarted with this one; a reload would not do, it turns JetStream off.
if port_open "$nats_host" "$nats_port" && [ -f "$store/conf.sha256" ] \
  && ! sha256sum --check --status "$store/conf.sha256" 2>/dev/null; then
  echo "restarting the tests' NATS: libs/testkit/nats/test.conf changed"
  pkill -f "nats-server -c $nats_conf" || true
  for _ in $(seq 50); do port_open "$nats_host" "$nats_port" || break; sleep 0.1; done
fi
if ! port_open "$nats_host" "$nats_port"; then
  case "$nats_host" in 127.0.0.1|localhost) ;; *) echo "NATS at $nats_host:$nats_port does not answer" >&2; exit 1;; esac
  nats_bin=$(command -v nats-server || ls /usr/sbin/nats-server 2>/dev/null || true)
  if [ -z "$nats_bin" ]; then
    echo "installing NATS server (Debian package)"
    apt_install nats-server
    nats_bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  fi
  mkdir -p "$store"
  sha256sum "$nats_conf" >"$store/conf.sha256"
  echo "starting NATS with JetStream and the test authorization on $nats_port"
  nohup "$nats_bin" -c "$nats_conf" -a 127.0.0.1 -p "$nats_port" -js \
    -sd "$store" >"$store/nats.log" 2>&1 &
  wait_for "$nats_host" "$nats_port" NATS
fi

# The notification tests' SMTP server (libs/testkit/smtp/sink.py) runs on aiosmtpd from PyPI,
# installed beside the build, never into the system's Python.
tools_python="$root/target/tools/python"
if ! PYTHONPATH="$tools_python${PYTHONPATH:+:$PYTHONPATH}" python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "installing aiosmtpd into $tools_python"
  command -v pip3 >/dev/null || apt_install python3-pip
  python3 -m pip install --quiet --target "$tools_python" aiosmtpd
fi

# The PostgreSQL tests keep documents in a real S3 API server: moto's, from PyPI, installed
# beside aiosmtpd, on its own port (TACHAWOR_TEST_S3_URL, 4323 unless said otherwise; the
# Makefile exports it). Each test makes a bucket of its own.
s3_url="${TACHAWOR_TEST_S3_URL:-http://127.0.0.1:4323}"
read -r s3_host s3_port <<<"$(host_port "$s3_url" 80)"
if ! PYTHONPATH="$tools_python${PYTHONPATH:+:$PYTHONPATH}" python3 -c 'import moto.server, flask_cors' 2>/dev/null; then
  echo "installing moto (S3 server) into $tools_python"
  command -v pip3 >/dev/null || apt_install python3-pip
  python3 -m pip install --quiet --target "$tools_python" 'moto[s3,server]'
fi
if ! port_open "$s3_host" "$s3_port"; then
  case "$s3_host" in 127.0.0.1|localhost) ;; *) echo "S3 at $s3_host:$s3_port does not answer" >&2; exit 1;; esac
  s3_log=${TMPDIR:-/tmp}/tachawor-moto-$s3_port.log
  echo "starting moto's S3 server on $s3_port"
  PYTHONPATH="$tools_python${PYTHONPATH:+:$PYTHONPATH}" nohup python3 -m moto.server \
    -H "$s3_host" -p "$s3_port" >"$s3_log" 2>&1 &
  wait_for "$s3_host" "$s3_port" "moto (log: $s3_log)"
fi

echo "PostgreSQL at $pg_host:$pg_port, NATS at $nats_host:$nats_port and S3 at $s3_host:$s3_port are up; aiosmtpd and moto in $tools_python"
echo "tests connect to NATS as ${TACHAWOR_TEST_NATS_USER:-nobody}" \
  "(TACHAWOR_TEST_NATS_USER / TACHAWOR_TEST_NATS_PASSWORD)"
