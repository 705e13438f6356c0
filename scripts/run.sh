#!/bin/sh
# `make run`: the report worker in the background beside the development web server, and
# the worker stopped when the server stops (Ctrl+C, or the server failing to start), so no
# worker is left running unseen.
set -eu
cd "$(dirname "$0")/.."
FLASK=".venv/bin/flask --app maturity"

$FLASK worker --workers "${REPORT_WORKERS:-1}" &
worker=$!
stop_worker() {
    if kill -0 "$worker" 2>/dev/null; then
        kill -TERM "$worker" 2>/dev/null || true
        wait "$worker" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT TERM

echo "The report worker is running (process $worker); it stops with the server."
$FLASK run --host 127.0.0.1 --port 5000
