"""Production settings plus what only the benchmark needs: a response header
with the number of SQL queries each request ran, and the floor view (one
query, same stack) on its own URL. `make bench` runs gunicorn with these;
nothing here is loaded in production."""

from clinic.settings import *  # noqa: F403
from clinic.settings import MIDDLEWARE

MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
