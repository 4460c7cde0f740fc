-- GET /stations/{id} over ids read from the file named by the IDS env variable.
local ids = {}
function init(args)
  for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
  math.randomseed(os.time() * 1000 + #ids)
end
function request()
  return wrk.format("GET", "/api/v1/stations/" .. ids[math.random(#ids)])
end
