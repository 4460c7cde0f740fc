-- Random nearby queries inside Shanghai's box; each wrk thread seeds its own generator.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(os.time() * 1000 + id)
end
local amenities = { "", "", "", "&amenities=phone_charging", "&amenities=drinking_water,microwave", "&open_now=true" }
function request()
  local lat = 30.70 + math.random() * 1.15
  local lng = 120.90 + math.random() * 1.05
  local extra = amenities[math.random(#amenities)]
  return wrk.format("GET", string.format("/api/v1/stations/nearby?lat=%.5f&lng=%.5f&radius_m=3000&limit=20%s", lat, lng, extra))
end
