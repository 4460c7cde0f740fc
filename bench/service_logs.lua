-- POST a batch of 20 service logs per request, each with a fresh Idempotency-Key, one operator
-- (token + station) per wrk thread. Env: CREDS = file of "token station" lines.
local creds = {}
for line in io.lines(os.getenv("CREDS")) do
  local token, station = line:match("(%S+)%s+(%S+)")
  creds[#creds + 1] = { token = token, station = station }
end
local next_id = 0
local types = { "hot_water", "phone_charging", "meal_heating", "toilet", "rest_area" }

function setup(thread)
  next_id = next_id + 1
  thread:set("me", next_id)
end

function init(args)
  local c = creds[((me - 1) % #creds) + 1]
  path = "/api/v1/stations/" .. c.station .. "/service-logs"
  auth = "Bearer " .. c.token
  local entries = {}
  for i = 1, 20 do
    entries[i] = string.format('{"service_type":"%s","quantity":%d}', types[(i % #types) + 1], (i % 3) + 1)
  end
  body = "[" .. table.concat(entries, ",") .. "]"
  n = 0
end

function request()
  n = n + 1
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = auth,
    ["Idempotency-Key"] = string.format("bench-%d-%d", me, n),
  }, body)
end
