namespace Switchboard.Storage.Redis;

/// <summary>
/// The Lua scripts that keep a key's counters in Redis, each one atomic step on the server and timed by the
/// server's own clock (<c>TIME</c>), so processes with skewed clocks agree. A key's state is a hash of bucket
/// levels (<c>r</c>, <c>i</c>, <c>o</c>) and the time they were last refilled (<c>t</c>, ms), plus a sorted set of
/// concurrency leases (lease id → expiry, ms); both carry the key id as a hash tag, so they share a cluster slot,
/// and TTLs, so an idle key's state disappears once its buckets would be full anyway. The arithmetic is
/// <c>TokenBucket</c>'s. Each script names itself and its version on its first line, and the key names carry the
/// same version (<c>v1</c>): a Switchboard that changes the layout changes both, so old and new processes in a
/// rolling deploy never read each other's state.
/// </summary>
internal static class RedisLimitScripts
{
    public const string KeyPrefix = "switchboard:limits:v1:";

    /// <summary>Refills the three buckets to now; shared by every script. Caps below 0 mean "no such limit".</summary>
    private const string Refill = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        local caps = { tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]) }
        local saved = redis.call('HMGET', KEYS[1], 'r', 'i', 'o', 't')
        local last = tonumber(saved[4]) or now
        local minutes = math.max(0, now - last) / 60000
        local levels = {}
        local buckets = false
        for k = 1, 3 do
          local cap = caps[k]
          local level = tonumber(saved[k])
          if cap < 0 then
            level = 0
          elseif level == nil then
            level = cap
            buckets = true
          else
            level = math.min(cap, level + minutes * cap)
            buckets = true
          end
          levels[k] = level
        end
        local function save()
          if not buckets then return end
          local full = 0
          for k = 1, 3 do
            if caps[k] > 0 then full = math.max(full, (caps[k] - levels[k]) * 60000 / caps[k]) end
          end
          redis.call('HSET', KEYS[1], 'r', tostring(levels[1]), 'i', tostring(levels[2]), 'o', tostring(levels[3]), 't', tostring(now))
          redis.call('PEXPIRE', KEYS[1], math.max(120000, math.ceil(full) + 60000))
        end
        """;

    /// <summary>
    /// KEYS: buckets, leases. ARGV: requests/min, input/min, output/min, concurrency (each -1 when unlimited),
    /// input estimate, lease id, lease lifetime (ms). Returns {refused-by (0 admitted, 1 concurrency, 2 requests,
    /// 3 input, 4 output), wait ms, requests, input, output, in flight}.
    /// </summary>
    public const string Admit = "-- switchboard_limits_admit_v1\n" + Refill + "\n" + """
        local slots = tonumber(ARGV[4])
        local estimate = tonumber(ARGV[5])
        local inflight = 0
        if slots >= 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
          inflight = redis.call('ZCARD', KEYS[2])
        end
        local refused = 0
        local wait = 0
        if slots >= 0 and inflight >= slots then
          refused = 1
          wait = 1000
        else
          local needs = { 1, math.max(1, math.min(estimate, caps[2])), 1 }
          for k = 1, 3 do
            if caps[k] >= 0 and levels[k] + 1e-9 < needs[k] then
              local w = -1
              if caps[k] > 0 then w = (needs[k] - levels[k]) * 60000 / caps[k] end
              if wait >= 0 and (w < 0 or w > wait) then
                refused = k + 1
                wait = w
              end
            end
          end
        end
        if refused == 0 then
          if caps[1] >= 0 then levels[1] = levels[1] - 1 end
          if caps[2] >= 0 then levels[2] = levels[2] - estimate end
          if slots >= 0 then
            local lifetime = tonumber(ARGV[7])
            redis.call('ZADD', KEYS[2], now + lifetime, ARGV[6])
            redis.call('PEXPIRE', KEYS[2], lifetime + 60000)
            inflight = inflight + 1
          end
        end
        save()
        return { refused, tostring(wait), tostring(levels[1]), tostring(levels[2]), tostring(levels[3]), inflight }
        """;

    /// <summary>
    /// KEYS: buckets, leases. ARGV: requests/min, input/min, output/min, input tokens to charge, output tokens to
    /// charge (negative: refund), lease id, 1 to release the lease (else its lifetime is renewed), lease lifetime (ms).
    /// </summary>
    public const string Charge = "-- switchboard_limits_charge_v1\n" + Refill + "\n" + """
        if caps[2] >= 0 then levels[2] = math.min(caps[2], levels[2] - tonumber(ARGV[4])) end
        if caps[3] >= 0 then levels[3] = math.min(caps[3], levels[3] - tonumber(ARGV[5])) end
        save()
        if ARGV[7] == '1' then
          redis.call('ZREM', KEYS[2], ARGV[6])
        else
          redis.call('ZADD', KEYS[2], 'XX', now + tonumber(ARGV[8]), ARGV[6])
        end
        return 1
        """;

    /// <summary>KEYS: buckets, leases. ARGV: requests/min, input/min, output/min. Returns {requests, input, output, in flight}; changes nothing.</summary>
    public const string Peek = "-- switchboard_limits_peek_v1\n" + Refill + "\n" + """
        local inflight = redis.call('ZCOUNT', KEYS[2], '(' .. tostring(now), '+inf')
        return { tostring(levels[1]), tostring(levels[2]), tostring(levels[3]), inflight }
        """;
}
