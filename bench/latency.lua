-- wrk reporter: requests/s, p50, p95 and p99 in milliseconds and non-2xx answers on one line,
-- as "rps p50 p95 p99 non2xx" (wrk's own --latency output has no p95).
local non2xx = 0
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, non2xx))
end
