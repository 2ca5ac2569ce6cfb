import type { KscSettings } from '../../config/settings';
import type { UpstreamDeps } from '../upstream-client';
import { KscClient } from './client';

/** Builds the Ksc client (transport, auth state) from settings. */
export async function createKscClient(_settings: KscSettings, _deps: UpstreamDeps): Promise<KscClient> {
  return new KscClient();
}
