package dev.nullspend.agent.fleet;

import dev.nullspend.agent.config.AgentConfig;
import dev.nullspend.agent.guard.SharedLimits;

/**
 * Fleet mode's entry (docs/fleet.md). Names no class of the Redis client: the client's classes
 * load only when {@code nullspend.redis.url} is set, so every other program starts as before.
 */
public final class Fleet {
    private Fleet() {
    }

    /**
     * The shared store of this configuration, connecting in the background; {@code null} without a
     * valid {@code nullspend.redis.url} or with enforcement off (nothing to share).
     */
    public static SharedLimits start(AgentConfig config) {
        if (config.redisUrl == null || config.enforcement == AgentConfig.Enforcement.OFF) {
            return null;
        }
        return RedisFleet.start(new RedisFleet.Settings(config.redisUrl, config.redisKeyPrefix, config.redisTimeoutMs,
                config.redisHoldSeconds * 1000L));
    }
}
