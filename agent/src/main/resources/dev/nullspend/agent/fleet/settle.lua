-- Ends a hold in fleet mode (docs/fleet.md): replaces the estimate by the call's cost on each account
-- and corrects the breaker windows it was counted in. An empty hold id adds the cost only: a call
-- admitted while Redis could not answer, reconciled now. A hold already expired adds its cost too.
-- ARGV: prefix, hold id, estimate (these three read in accounts.lua), actual, n accounts,
--       then per account: key, expiry spec;
--       m windows, then per window its key (the breaker's key and the window counted in)
local actual = tonumber(ARGV[4])
local n = tonumber(ARGV[5])
local held = 0
if id ~= '' then
  held = redis.call('ZREM', P .. 'holds', id)
  redis.call('DEL', P .. 'h:' .. id)
end
for i = 0, n - 1 do
  local key = P .. ARGV[6 + i * 2]
  local spec = tonumber(ARGV[7 + i * 2])
  if held == 1 then
    release(key, est)
  end
  if actual > 0 then
    redis.call('HINCRBY', key, 'spend', actual)
    expiry(key, spec)
  end
end
local b = 6 + n * 2
local m = tonumber(ARGV[b])
for i = 0, m - 1 do
  local key = P .. ARGV[b + 1 + i]
  if redis.call('EXISTS', key) == 1 and redis.call('INCRBY', key, actual - est) < 0 then
    redis.call('SET', key, 0, 'KEEPTTL')
  end
end
return held
