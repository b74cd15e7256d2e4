-- wrk script: POST pre-signed webhook bodies (one "signature<TAB>body" per line of the
-- file given as the first script argument); each wrk thread takes its own share of lines.
local threads = {}
local bodies, sigs = {}, {}
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
      local sig, body = line:match("^([^\t]+)\t(.*)$")
      sigs[#sigs + 1] = sig
      bodies[#bodies + 1] = body
    end
    i = i + 1
  end
end

function request()
  counter = counter + 1
  local idx = ((counter - 1) % #bodies) + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = sigs[idx]}, bodies[idx])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect, e.read, e.timeout))
end
