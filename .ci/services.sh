#!/usr/bin/env bash
# Starts PostgreSQL, Redis and RabbitMQ on loopback when they are not answering, and waits
# until each one accepts connections. Only loopback addresses are used.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local name=$1 port=$2 deadline=$((SECONDS + 60))
  until port_open "$port"; do
    if ((SECONDS > deadline)); then echo "ci: $name did not come up on 127.0.0.1:$port" >&2; return 1; fi
    sleep 1
  done
  echo "ci: $name is up on 127.0.0.1:$port"
}

if ! port_open 5432 && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! port_open 6379 && command -v redis-server >/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
fi
if ! port_open 5672 && command -v rabbitmq-server >/dev/null; then
  rabbitmq-server -detached || true
fi

status=0
wait_for PostgreSQL 5432 || status=1
wait_for Redis 6379 || status=1
wait_for RabbitMQ 5672 || status=1
exit $status
