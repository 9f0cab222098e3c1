-- Counts every answer that is not 200 (wrk itself only counts non-2xx/3xx: a redirect to the login
-- page would pass unseen), printed as "NON200 <n>" for bench/throughput.py.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("non200")
  end
  io.write(string.format("NON200 %d\n", total))
end
