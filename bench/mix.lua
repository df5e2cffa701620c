-- The public reads of a country page or a finding shared on social media: pages and API in turn (bench/load.sh).
local paths = {
  "/",
  "/countries",
  "/countries/COD",
  "/findings",
  "/datasets",
  "/map",
  "/api/v1/countries",
  "/api/v1/countries/COD/statistics",
  "/api/v1/findings",
  "/api/v1/datasets",
}
local i = 0

request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
