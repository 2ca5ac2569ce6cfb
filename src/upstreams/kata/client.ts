import type { UpstreamClient } from '../upstream-client';

export class KataClient implements UpstreamClient {
  readonly upstream = 'kata' as const;

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
