import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';

import type { MdrSimulator } from '../../src/upstreams/mdr/simulator';
import { percentile } from './load';

export interface FanoutOptions {
  /** The gateway's GraphQL URL (http://…/graphql). */
  url: string;
  authorization: string;
  mdr: MdrSimulator;
  subscribers: number;
  /** New incidents made on the simulator during the run, one every `spacingMs`. */
  changes: number;
  spacingMs: number;
  /** The gateway's LIVE_MDR_POLL_MS, for the report. */
  pollMs: number;
}

export interface FanoutResult {
  subscribers: number;
  changes: number;
  pollMs: number;
  durationS: number;
  /** incidents/list calls the gateway made while the subscribers listened, per minute. */
  upstreamCallsPerMinute: number;
  /** Messages the subscribers received (should be subscribers × changes). */
  delivered: number;
  /** From the incident's creation on the simulator to the message at the client. */
  delayP50Ms: number;
  delayP95Ms: number;
  delayMaxMs: number;
}

const SUBSCRIPTION = 'subscription { incidentChanged { kind incident { incidentId } } }';

/**
 * `subscribers` graphql-ws clients (one socket each, as separate consoles) follow incidentChanged
 * while the MDR simulator gets `changes` new incidents: what the feed costs MDR, and how long a
 * change takes to reach a screen.
 */
export async function measureFanout(options: FanoutOptions): Promise<FanoutResult> {
  const createdAt = new Map<string, number>();
  const delays: number[] = [];
  const clients: Client[] = [];
  let subscribed = 0;
  const ready = new Promise<void>((resolve) => {
    for (let i = 0; i < options.subscribers; i++) {
      const client = createClient({
        url: options.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: options.authorization },
        retryAttempts: 0,
        on: {
          connected: () => {
            if (++subscribed === options.subscribers) resolve();
          },
        },
        lazy: false,
        onNonLazyError: () => undefined,
      });
      client.subscribe<{ incidentChanged: { incident: { incidentId: string } } }>(
        { query: SUBSCRIPTION },
        {
          next: ({ data }) => {
            const at = data && createdAt.get(data.incidentChanged.incident.incidentId);
            if (typeof at === 'number') delays.push(Date.now() - at);
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
      clients.push(client);
    }
  });
  await ready;
  // Let the feed's first poll (its baseline) pass before counting.
  await sleep(options.pollMs * 2);
  options.mdr.server.resetStats();
  const started = Date.now();
  for (let i = 0; i < options.changes; i++) {
    const incident = options.mdr.createIncident();
    createdAt.set(incident.incident_id, incident.creation_time);
    await sleep(options.spacingMs);
  }
  const expected = options.subscribers * options.changes;
  const deadline = Date.now() + options.pollMs * 4 + 5_000;
  while (delays.length < expected && Date.now() < deadline) await sleep(20);
  const durationMs = Date.now() - started;
  const calls = options.mdr.server.callCount('incidents/list');
  await Promise.all(clients.map((c) => c.dispose()));
  const sorted = [...delays].sort((a, b) => a - b);
  return {
    subscribers: options.subscribers,
    changes: options.changes,
    pollMs: options.pollMs,
    durationS: Math.round(durationMs / 100) / 10,
    upstreamCallsPerMinute: Math.round((calls / durationMs) * 60_000 * 10) / 10,
    delivered: delays.length,
    delayP50Ms: percentile(sorted, 50),
    delayP95Ms: percentile(sorted, 95),
    delayMaxMs: sorted.at(-1) ?? 0,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
