-- wrk script of the HTTP load (load.ts): every request carries the session cookie of the latest
-- response (the first ones carry the cookie given after `--`), so each request reads the session,
-- increments its counter and re-signs it. At the end it prints one line, `wrk-session-result`
-- then JSON, with the counts, the p99 latency and the highest counter answered.

-- Each wrk thread runs this script in a Lua state of its own: `setup` (in the main state) keeps
-- the threads, so `done` can read their globals.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  cookie = args[1]
  highest = 0
end

function request()
  return wrk.format("GET", nil, { Cookie = cookie })
end

function response(status, headers, body)
  -- node:http and express send `Set-Cookie`, @hono/node-server `set-cookie`.
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if set then
    cookie = string.match(set, "^[^;]*")
  end
  local count = tonumber(body)
  if count and count > highest then
    highest = count
  end
end

function done(summary, latency, requests)
  local most = 0
  for _, thread in ipairs(threads) do
    most = math.max(most, thread:get("highest"))
  end
  local errors = summary.errors
  io.write(string.format(
    'wrk-session-result {"requests":%d,"duration":%d,"p99":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"highest":%d}\n',
    summary.requests, summary.duration, latency:percentile(99), errors.connect, errors.read,
    errors.write, errors.status, errors.timeout, most))
end
