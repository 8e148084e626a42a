-- Ends a hold in fleet mode (docs/fleet.md): replaces the estimate by the call's cost on each account
-- and corrects the breaker windows it was counted in. An empty hold id adds the cost only: a call
-- admitted while Redis could not answer, reconciled now. A hold already expired adds its cost too.
-- ARGV: prefix, hold id, estimate, actual, n accounts, then per account: key, expiry spec;
--       m windows, then per window its key (the breaker's key and the window counted in)
local P = ARGV[1]
local id = ARGV[2]
local est = tonumber(ARGV[3])
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
  if held == 1 and redis.call('EXISTS', key) == 1 then
    if redis.call('HINCRBY', key, 'reserved', -est) < 0 then
      redis.call('HSET', key, 'reserved', 0)
    end
  end
  if actual > 0 then
    redis.call('HINCRBY', key, 'spend', actual)
    if spec > 0 then
      redis.call('PEXPIREAT', key, spec)
    elseif spec < 0 then
      redis.call('PEXPIRE', key, -spec)
    end
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
