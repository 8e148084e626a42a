-- What admit.lua and settle.lua share, put before each when the agent loads them (a script run by
-- EVALSHA cannot load another). Both scripts' ARGV begin with: prefix, hold id, estimate.
local P = ARGV[1]
local id = ARGV[2]
local est = tonumber(ARGV[3])

-- An account key's expiry spec: > 0 at that epoch ms, < 0 after that many idle ms, 0 never.
local function expiry(key, spec)
  if spec > 0 then
    redis.call('PEXPIREAT', key, spec)
  elseif spec < 0 then
    redis.call('PEXPIRE', key, -spec)
  end
end

-- Gives an ended hold's estimate back to an account that still exists, never below nothing reserved.
local function release(key, estimate)
  if redis.call('EXISTS', key) == 1 and redis.call('HINCRBY', key, 'reserved', -estimate) < 0 then
    redis.call('HSET', key, 'reserved', 0)
  end
end
