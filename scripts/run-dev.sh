#!/usr/bin/env bash
# `make run`: the web server, one task-queue consumer and the Connect+ demo SFTP server together.
# Ctrl-C (or any of them ending) stops all three.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
# The demo SFTP server listens on 127.0.0.1; Connect+ refuses loopback hosts unless allowed.
export CONNECT_ALLOWED_NETWORKS="${CONNECT_ALLOWED_NETWORKS:-127.0.0.0/8,::1/128}"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait 2>/dev/null
}
trap stop INT TERM EXIT

"$PYTHON" manage.py sftp_demo_server --port "${SFTP_DEMO_PORT:-2222}" & pids+=($!)
"$PYTHON" manage.py run_huey -w "${TASKS_WORKERS:-2}" & pids+=($!)
"$PYTHON" manage.py runserver "${RUN_ADDRESS:-127.0.0.1:8000}" & pids+=($!)
wait -n
