#!/usr/bin/env bash
# Start `make run` with no DATABASE_URL or REDIS_URL (embedded servers), wait
# for /healthz to say 200, fetch the login page, then stop it all.
set -euo pipefail
# A free port unless told: a fixed one may be taken (a bench's gunicorn, say).
port="${SMOKE_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
log="$(mktemp)"
env -u DATABASE_URL -u REDIS_URL PORT="$port" setsid make run >"$log" 2>&1 &
runner=$!
stop() { kill -INT -- "-$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true; }
trap stop EXIT

for _ in $(seq 180); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$runner" 2>/dev/null; then cat "$log"; echo "make run exited early"; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/healthz" || { tail -50 "$log"; exit 1; }
echo
curl -fsS "http://127.0.0.1:$port/login/" | grep -q "Sign in" || { echo "login page did not render"; exit 1; }
echo "make run: /healthz 200 and the login page renders"
