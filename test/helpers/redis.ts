// The same redis-server the benchmark starts: real sockets, a temporary data directory, AOF.
export { startRedisServer as startRedis } from '../../bench/lib/redis-server';
export type { RedisServer as TestRedis } from '../../bench/lib/redis-server';
