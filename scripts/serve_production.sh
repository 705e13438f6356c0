#!/usr/bin/env bash
# Production: migrate once, then run the app under gunicorn and the report worker beside it,
# until either stops (then stop the other, so a supervisor such as systemd restarts both).
# `make serve-production` runs this; docs/production.md explains the settings.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN="${VENV:-.venv}/bin"
FLASK=("$BIN/flask" --app maturity)

if [[ -z "${DATABASE_URL:-}" ]]; then
  echo "serve-production: DATABASE_URL is not set: using the SQLite file in instance/" \
    "(one machine only; set DATABASE_URL=postgresql://... for several)" >&2
fi
if [[ -z "${REDIS_URL:-}" ]]; then
  echo "serve-production: REDIS_URL is not set: the report queue is a SQLite file in" \
    "instance/ (one machine only)" >&2
fi
if [[ "${RATELIMIT_STORAGE_URI:-memory://}" == memory://* ]]; then
  echo "serve-production: RATELIMIT_STORAGE_URI is memory://: each gunicorn worker counts" \
    "failed sign-ins on its own; set it to redis://... so they share one count" >&2
fi

# Once, before any worker starts: two processes migrating together would collide.
"${FLASK[@]}" db upgrade

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait || true
  exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM
trap 'stop $?' EXIT

"$BIN/gunicorn" --config gunicorn.conf.py wsgi:app &
pids+=("$!")
# REPORT_WORKERS: how many reports to build at once (the worker's default: cores, at most 4).
"${FLASK[@]}" worker ${REPORT_WORKERS:+--workers "$REPORT_WORKERS"} &
pids+=("$!")

# Whichever stops first (a crash, or a signal to it) takes the other down with it.
set +e
wait -n "${pids[@]}"
status=$?
set -e
echo "serve-production: a process stopped (status $status): stopping the rest" >&2
stop "$status"
