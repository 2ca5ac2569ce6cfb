import { randomUUID } from 'node:crypto';

import type { SharedRedis } from '../../state/redis';
import { connectionKey } from './tokens';
import type { RotationLease, StoredTokens, TokenStore } from './tokens';

/** Takes the lock if free, with the next fencing token: `<holder>:<fence>` until it expires. */
const LOCK = `
if redis.call('exists', KEYS[1]) == 1 then return 0 end
local fence = redis.call('incr', KEYS[2])
redis.call('set', KEYS[1], ARGV[1] .. ':' .. fence, 'PX', ARGV[2])
return fence`;

/**
 * Replaces the stored tokens unless a holder with a later fencing token has written them (this
 * holder's lock may have expired meanwhile; what it writes then is still the newest answer MDR
 * gave, unless a later holder's is there).
 */
const SAVE = `
local stored = tonumber(redis.call('hget', KEYS[1], 'fence') or '0')
if stored > tonumber(ARGV[1]) then return 0 end
redis.call('del', KEYS[1])
redis.call('hset', KEYS[1], 'fence', ARGV[1], unpack(ARGV, 2))
return 1`;

/** Deletes the lock only if this holder still holds it (compare-and-delete). */
const RELEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

/**
 * The MDR token store shared by gateway replicas: one hash per API connection, a lock with an
 * expiry and a fencing token beside it. Durable as far as the Redis is (AOF with
 * `appendfsync always`, and REDIS_WAIT_REPLICAS for replicas: README "Replicas").
 */
export class RedisTokenStore implements TokenStore {
  private readonly stateKey: string;
  private readonly lockKey: string;
  private readonly fenceKey: string;

  constructor(
    private readonly redis: SharedRedis,
    clientId: string,
    connection = '',
    private readonly waitReplicas = 0,
  ) {
    this.stateKey = redis.key(`mdr:tokens:${connectionKey(clientId, connection)}`);
    this.lockKey = `${this.stateKey}:lock`;
    this.fenceKey = `${this.stateKey}:fence`;
  }

  async load(): Promise<StoredTokens | undefined> {
    const fields = await this.redis.client.hgetall(this.stateKey);
    if (!fields.fence) return undefined;
    return {
      confirm: fields.confirm,
      refreshToken: fields.refreshToken,
      seen: fields.seen ? (JSON.parse(fields.seen) as string[]) : [],
      refused: fields.refused ? (JSON.parse(fields.refused) as StoredTokens['refused']) : undefined,
    };
  }

  async lock(ttlMs: number): Promise<RotationLease | undefined> {
    const holder = randomUUID();
    const fence = Number(await this.redis.client.eval(LOCK, 2, this.lockKey, this.fenceKey, holder, ttlMs));
    if (!fence) return undefined;
    const value = `${holder}:${fence}`;
    return {
      save: (tokens) => this.save(fence, tokens),
      release: async () => {
        await this.redis.client.eval(RELEASE, 1, this.lockKey, value);
      },
    };
  }

  private async save(fence: number, tokens: StoredTokens): Promise<void> {
    const fields: string[] = [];
    if (tokens.confirm !== undefined) fields.push('confirm', tokens.confirm);
    if (tokens.refreshToken) fields.push('refreshToken', tokens.refreshToken);
    if (tokens.seen) fields.push('seen', JSON.stringify(tokens.seen));
    if (tokens.refused) fields.push('refused', JSON.stringify(tokens.refused));
    const client = this.redis.client;
    let written: unknown;
    if (this.waitReplicas > 0) {
      // One round trip: the write and WAIT go out together.
      const results = await client
        .pipeline()
        .eval(SAVE, 1, this.stateKey, fence, ...fields)
        .wait(this.waitReplicas, 1_000)
        .exec();
      const [write, wait] = results ?? [];
      if (write?.[0]) throw write[0];
      written = write?.[1];
      const acked = Number(wait?.[1] ?? 0);
      if (Number(written) === 1 && acked < this.waitReplicas) {
        throw new Error(`the MDR tokens reached ${acked} of ${this.waitReplicas} Redis replicas`);
      }
    } else {
      written = await client.eval(SAVE, 1, this.stateKey, fence, ...fields);
    }
    if (Number(written) !== 1) throw new Error('a later rotation has written the MDR tokens (fenced out)');
  }
}
