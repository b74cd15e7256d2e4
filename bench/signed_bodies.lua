-- wrk script: POST pre-built bodies, one "header value<TAB>body" per line of the file given as
-- the first script argument (the webhook's X-Hub-Signature-256, or the API's Authorization:
-- the header's name is the third argument); each wrk thread takes its own share of lines.
local threads = {}
local bodies, values = {}, {}
local header = "X-Hub-Signature-256"
local counter = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local path, nthreads = args[1], tonumber(args[2])
  header = args[3] or header
  local i = 0
  for line in io.lines(path) do
    if i % nthreads == tid then
      local value, body = line:match("^([^\t]+)\t(.*)$")
      values[#values + 1] = value
      bodies[#bodies + 1] = body
    end
    i = i + 1
  end
end

function request()
  counter = counter + 1
  local idx = ((counter - 1) % #bodies) + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", [header] = values[idx]}, bodies[idx])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect, e.read, e.timeout))
end
