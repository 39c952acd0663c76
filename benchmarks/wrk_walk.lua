-- wrk script: walk a file of request paths (one per line), each thread from its own offset,
-- and print a one-line JSON summary at the end.
--   wrk -t2 -c16 -d15s -s benchmarks/wrk_walk.lua http://127.0.0.1:8000 -- urls.txt

local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

local urls = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      urls[#urls + 1] = line
    end
  end
  counter = (tid or 0) * 7919
end

function request()
  counter = counter + 1
  return wrk.format("GET", urls[(counter % #urls) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%.1f,"p95_us":%.1f,"p99_us":%.1f,"max_us":%.1f,' ..
    '"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
