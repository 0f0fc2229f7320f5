#!/usr/bin/env bash
# Start PostgreSQL and Redis on 127.0.0.1 if they are installed here but not running.
# The tests themselves fail under CI=true when either is still missing.
set -uo pipefail

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! up 5432 && command -v pg_ctlcluster >/dev/null; then
  echo "Starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! up 6379 && command -v redis-server >/dev/null; then
  echo "Starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
for i in $(seq 1 20); do
  up 5432 && up 6379 && exit 0
  sleep 0.5
done
up 5432 || echo "warning: PostgreSQL is not reachable on 127.0.0.1:5432" >&2
up 6379 || echo "warning: Redis is not reachable on 127.0.0.1:6379" >&2
exit 0
