-- wrk script of the HTTP load (load.ts). The arguments after `--` are the Cookie headers of
-- distinct sessions the server opened (load-sessions.ts). Each response's Set-Cookie goes to the
-- back of a queue, and each request carries the cookie at its front, so a cookie is sent by one
-- request only: with a server that re-sends the cookie on every response, each session has at
-- most one request in flight, and each request reads its session, increments its counter and
-- re-signs it. When the queue is empty (at the start, or with a server that sends the cookie for
-- a new session and at renewals only), the request takes the next session of the arguments in
-- turn, which overlaps its previous request only if that one is still unanswered after all the
-- others were sent. At the end it prints one line, `wrk-session-result` then JSON, with the
-- counts, the p99 latency and the highest counter answered.

-- Each wrk thread runs this script in a Lua state of its own: `setup` (in the main state) keeps
-- the threads, so `done` can read their globals.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sessions = args
  nextSession = 1
  queue = {}
  first = 1
  last = 0
  highest = 0
end

function request()
  -- wrk calls this once after `init` to check the request it builds: that one takes the first
  -- session, and the load starts from the second.
  local cookie
  if first <= last then
    cookie = queue[first]
    queue[first] = nil
    first = first + 1
  else
    cookie = sessions[nextSession]
    nextSession = nextSession % #sessions + 1
  end
  return wrk.format("GET", nil, { Cookie = cookie })
end

function response(status, headers, body)
  -- node:http and express send `Set-Cookie`, @hono/node-server `set-cookie`.
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if set then
    last = last + 1
    queue[last] = string.match(set, "^[^;]*")
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
