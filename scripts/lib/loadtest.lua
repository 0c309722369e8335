-- wrk script of scripts/loadtest.sh: counts every answer that is not a 200
-- (wrk itself counts 3xx as success, and a lost session answers 303) and
-- prints one RESULT line the script reads.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    not_ok = 0
end

function response(status, headers, body)
    if status ~= 200 then
        not_ok = not_ok + 1
    end
end

function done(summary, latency, requests)
    local refused = 0
    for _, thread in ipairs(threads) do
        refused = refused + thread:get("not_ok")
    end
    local e = summary.errors
    io.write(string.format(
        "RESULT requests=%d rps=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f not_200=%d socket_errors=%d timeouts=%d\n",
        summary.requests,
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000,
        latency:percentile(99) / 1000,
        latency.max / 1000,
        refused,
        e.connect + e.read + e.write,
        e.timeout))
end
