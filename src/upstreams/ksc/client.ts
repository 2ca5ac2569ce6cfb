import type { UpstreamClient } from '../upstream-client';

export class KscClient implements UpstreamClient {
  readonly upstream = 'ksc' as const;

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
