#!/usr/bin/env bash
# `make run`: migrate, load the demo when the database is empty, score it, serve the portal.
# With CELERY_BROKER_URL set, a Celery worker runs beside the server for as long as it does.
set -euo pipefail
PY="${VENV:-.venv}/bin/python"
HOST="${HOST:-127.0.0.1:8000}"

"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo --if-empty
if [ -n "${CELERY_BROKER_URL:-}" ]; then
  "${VENV:-.venv}/bin/celery" -A kam_portal worker --loglevel=WARNING --concurrency=2 &
  worker=$!
  trap 'kill "$worker" 2>/dev/null || true' EXIT
  "$PY" manage.py run_nightly --wait
else
  "$PY" manage.py run_nightly
fi
echo "Serving the portal at http://$HOST/ (Ctrl-C to stop)"
"$PY" manage.py runserver "$HOST"
