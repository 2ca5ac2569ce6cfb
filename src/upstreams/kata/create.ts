import type { KataSettings } from '../../config/settings';
import type { UpstreamDeps } from '../upstream-client';
import { KataClient } from './client';

/** Builds the Kata client (transport, auth state) from settings. */
export async function createKataClient(_settings: KataSettings, _deps: UpstreamDeps): Promise<KataClient> {
  return new KataClient();
}
