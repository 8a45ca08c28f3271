-- wrk script: POST /v1/purchase-checks for a random one of N suppliers (NOP IDs 1000000000 + i, as
-- bench/make_suppliers_csv.py writes them) and a product that allows, blocks or needs review.
local suppliers = tonumber(os.getenv("SUPPLIERS") or "100000")
local products = {"Avocados", "organic oats", "Rolled Oats", "milk", "honey", "soybeans", "Wheat"}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CERTWATCH_KEY")

request = function()
  local body = string.format('{"nopOperationId": "%d", "product": "%s"}',
    1000000000 + math.random(0, suppliers - 1), products[math.random(#products)])
  return wrk.format(nil, nil, nil, body)
end
