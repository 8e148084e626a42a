-- One admission in fleet mode (docs/fleet.md), atomic: drops the holds of calls that never ended,
-- checks every limit of the call, and holds its estimate on all of them, or names the first that denies.
-- ARGV: prefix, hold id, estimate (these three read in accounts.lua), hold ttl ms,
--       force (1: hold even when denied, dry-run), n,
--       then per limit: kind (a: account, v: velocity), key, limit, p1, p2
--       account: p1 = 1 when it denies (0: it only reports), p2 = key expiry (>0 at epoch ms, <0 idle ms, 0 never)
--       velocity: p1 = window ms, p2 = cool-down ms
-- Returns {held, denied index (1-based, 0 none), figure1, figure2, opened, per limit: over (account) or window (velocity)}
local ttl = tonumber(ARGV[4])
local force = ARGV[5] == '1'
local n = tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local holds = P .. 'holds'

-- A JVM killed mid-call never settles: its hold ends at its expiry.
for _, h in ipairs(redis.call('ZRANGEBYSCORE', holds, '-inf', now, 'LIMIT', 0, 100)) do
  local rec = redis.call('GET', P .. 'h:' .. h)
  if rec then
    local e = nil
    for line in string.gmatch(rec, '[^\n]+') do
      if e == nil then
        e = tonumber(line)
      else
        release(P .. line, e)
      end
    end
    redis.call('DEL', P .. 'h:' .. h)
  end
  redis.call('ZREM', holds, h)
end

local out = {0, 0, 0, 0, 0}
local per = {}
local denied = false
for i = 0, n - 1 do
  local b = 7 + i * 5
  local kind, key, limit = ARGV[b], P .. ARGV[b + 1], tonumber(ARGV[b + 2])
  local p1, p2 = tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
  local d = nil
  per[i + 1] = -1
  if kind == 'v' then
    local open = redis.call('PTTL', key .. ':open')
    if open > 0 then
      d = {i + 1, tonumber(redis.call('GET', key .. ':open')), open, 1}
    else
      local w = math.floor(now / p1)
      local cur = tonumber(redis.call('GET', key .. ':' .. w) or '0')
      local prev = tonumber(redis.call('GET', key .. ':' .. (w - 1)) or '0')
      local weighted = cur + math.floor(prev * (p1 - (now - w * p1)) / p1)
      if weighted + est > limit then
        redis.call('SET', key .. ':open', weighted, 'PX', p2)
        d = {i + 1, weighted, p2, 0}
      else
        per[i + 1] = w
      end
    end
  else
    local v = redis.call('HMGET', key, 'spend', 'reserved')
    local spend, reserved = tonumber(v[1] or '0'), tonumber(v[2] or '0')
    if spend + reserved + est > limit then
      if p1 == 1 then
        d = {i + 1, spend, reserved, 0}
      else
        per[i + 1] = 1
      end
    else
      per[i + 1] = 0
    end
  end
  if d and not denied then
    denied = true
    out[2], out[3], out[4], out[5] = d[1], d[2], d[3], d[4]
    if not force then
      for j = 1, n do
        out[5 + j] = -1
      end
      return out
    end
  end
end

local keys = {}
for i = 0, n - 1 do
  local b = 7 + i * 5
  local key = P .. ARGV[b + 1]
  if ARGV[b] == 'a' then
    redis.call('HINCRBY', key, 'reserved', est)
    expiry(key, tonumber(ARGV[b + 4]))
    keys[#keys + 1] = ARGV[b + 1]
  elseif per[i + 1] >= 0 and not denied then
    -- As in one process: a call dry-run lets through is held, but not counted by the breakers.
    local wk = key .. ':' .. per[i + 1]
    redis.call('INCRBY', wk, est)
    redis.call('PEXPIRE', wk, 2 * tonumber(ARGV[b + 3]) + 1000)
  else
    per[i + 1] = -1
  end
end
if #keys > 0 then
  -- No expiry of its own: the sweep above needs it whenever the next admission comes, however late
  -- (a record gone first would leave its estimate reserved for good); settle or that sweep deletes it.
  redis.call('SET', P .. 'h:' .. id, est .. '\n' .. table.concat(keys, '\n'))
  redis.call('ZADD', holds, now + ttl, id)
end
out[1] = 1
for j = 1, n do
  out[5 + j] = per[j]
end
return out
