import type { MdrSettings } from '../../config/settings';
import type { UpstreamDeps } from '../upstream-client';
import { MdrClient } from './client';

/** Builds the Mdr client (transport, auth state) from settings. */
export async function createMdrClient(_settings: MdrSettings, _deps: UpstreamDeps): Promise<MdrClient> {
  return new MdrClient();
}
