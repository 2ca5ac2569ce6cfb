import type { UpstreamClient } from '../upstream-client';

export class MdrClient implements UpstreamClient {
  readonly upstream = 'mdr' as const;

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
