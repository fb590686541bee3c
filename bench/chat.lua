-- wrk script: POST the chat request of chat-request.json to /v1/chat/completions.
-- Extra headers come from BENCH_HEADERS ("Name: value" pairs separated by "|").
-- done() prints one machine-readable line that the bench scripts parse.

local body_file = os.getenv("BENCH_BODY_FILE") or "bench/chat-request.json"
local f = assert(io.open(body_file, "rb"), "cannot open " .. body_file)
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH") or "/v1/chat/completions"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

local extra = os.getenv("BENCH_HEADERS") or ""
for pair in string.gmatch(extra, "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.-)%s*$")
  if name then
    wrk.headers[name] = value
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "#bench p50_us=%d p99_us=%d requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    latency:percentile(50), latency:percentile(99), summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout))
end
