#!/bin/sh
# The body of `make run`, with PostgreSQL and Redis already up.
set -e
python manage.py migrate --noinput
python manage.py seed_demo
port="${PORT:-8000}"
# Links in emails; honcho gives each process its own PORT, so fix it here.
export SITE_URL="${SITE_URL:-http://127.0.0.1:${port}}"
cat <<MSG

  The clinic app is starting at http://127.0.0.1:${port}/
  Demo logins (password: ${DEMO_PASSWORD:-demo-clinic-2026}):
    frontdesk   front desk
    clinician   clinician (also clinician2)
    admin       clinic admin
  Ctrl-C stops everything.

MSG
exec honcho start -f Procfile -p "$port"
