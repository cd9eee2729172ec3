#!/usr/bin/env bash
# Starts PostgreSQL, Redis and RabbitMQ on loopback when they are not answering, and waits
# until each one accepts connections. Only loopback addresses are used.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# An open port is not enough for RabbitMQ: while it recovers (or when it is stuck) it accepts
# TCP but never answers the AMQP header. Connection.Start is a method frame: first byte 1.
amqp_answers() {
  timeout 5 bash -c '
    exec 3<>/dev/tcp/127.0.0.1/5672 || exit 1
    printf "AMQP\x00\x00\x09\x01" >&3
    IFS= read -r -N 1 -t 4 byte <&3 && [ "$byte" = $'"'"'\x01'"'"' ]' 2>/dev/null
}

wait_until() {
  local name=$1 seconds=$2 check=$3 deadline=$((SECONDS + $2))
  until $check; do
    if ((SECONDS > deadline)); then echo "ci: $name did not answer within ${seconds}s" >&2; return 1; fi
    sleep 1
  done
  echo "ci: $name is up"
}

# Stops it with its own tool, or failing that by the pid the server wrote at start: never by a
# name pattern, which could hit another broker on a developer's machine.
restart_rabbitmq() {
  echo "ci: RabbitMQ does not answer AMQP; restarting it"
  if ! timeout 60 rabbitmqctl shutdown >/dev/null 2>&1; then
    for pidfile in /var/lib/rabbitmq/mnesia/*.pid; do
      [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null
    done
  fi
  sleep 2
  rabbitmq-server -detached || true
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
wait_until PostgreSQL 60 'port_open 5432' || status=1
wait_until Redis 60 'port_open 6379' || status=1
if ! wait_until RabbitMQ 60 amqp_answers; then
  restart_rabbitmq
  wait_until RabbitMQ 180 amqp_answers || status=1
fi
exit $status
