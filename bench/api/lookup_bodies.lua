-- wrk script: POST pre-built API bodies (one "Api-Key <key><TAB>body" line each, from the file
-- given as the first script argument); each wrk thread takes its own share of lines.
local threads = {}
local bodies, auths = {}, {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local path, nthreads = args[1], tonumber(args[2])
  local i = 0
  for line in io.lines(path) do
    if i % nthreads == tid then
      local auth, body = line:match("^([^\t]+)\t(.*)$")
      auths[#auths + 1] = auth
      bodies[#bodies + 1] = body
    end
    i = i + 1
  end
end

function request()
  counter = counter + 1
  local idx = ((counter - 1) % #bodies) + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = auths[idx]}, bodies[idx])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect, e.read, e.timeout))
end
