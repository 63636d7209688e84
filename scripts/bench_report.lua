-- wrk script for `make bench`: the headers of a signed-in request behind a
-- TLS proxy, and one JSON line of results (latencies in microseconds).
local cookie = os.getenv("BENCH_COOKIE")
wrk.headers["X-Forwarded-Proto"] = "https"
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "http_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
