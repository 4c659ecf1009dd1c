#!/usr/bin/env bash
# The whole benchmark against one database engine, on 127.0.0.1 only (docs/performance.md):
#   bench/run.sh sqlite|postgresql [--learners 10000] [--rounds 3] ...   (bench/run.sh sqlite --help)
# It seeds a fresh database, starts the baseline and Sanaly under gunicorn, measures them alternately, stops
# what it started and writes bench/results/<engine>.json and .md. PostgreSQL: the server at 127.0.0.1:5432
# (user postgres) gets the databases sanaly_bench and sanaly_bench_baseline; Redis at 127.0.0.1:6379 (db 15).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  sqlite|postgresql) ;;
  *) echo "usage: bench/run.sh sqlite|postgresql [options]" >&2; exit 2 ;;
esac

# Two app nodes behind nginx are measured on PostgreSQL: Debian's nginx, installed without starting its
# default site (policy-rc.d refuses the start), so nothing listens beyond 127.0.0.1.
install_nginx() {
  local policy=/usr/sbin/policy-rc.d created=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1
    trap '[ -n "$created" ] && rm -f "$policy"' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q nginx-light >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q nginx-light >/dev/null; } \
    || apt-get install -y -q nginx >/dev/null
  if [ -n "$created" ]; then rm -f "$policy"; trap - EXIT; fi
}
if [ "$1" = postgresql ] && ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "[bench] installing nginx from Debian"
  install_nginx
fi

[ -x .venv/bin/locust ] || { echo "locust is missing: .venv/bin/pip install -e '.[bench]'" >&2; exit 1; }
exec .venv/bin/python -m bench.run "$@"
