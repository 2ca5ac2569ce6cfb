import { readFileSync } from 'node:fs';
import path from 'node:path';

import fc from 'fast-check';
import { buildSchema } from 'graphql';
import { request } from 'undici';

import { startEdgeEstate } from '../helpers/edge';
import type { EdgeEstate } from '../helpers/edge';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { fuzzRequests, withDeepValues } from '../helpers/request-fuzz';
import type { FuzzRequest } from '../helpers/request-fuzz';

/**
 * Requests of every shape a client might send (fast-check, over the schema and the HTTP edge),
 * against the gateway in front of all three simulators. FUZZ_REQUESTS sets how many (the suite's
 * default keeps it to seconds; docs/security.md has the figures of a 10,000-request run).
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const MAX_BODY_BYTES = 100_000;

/** What the gateway's own code would leak in a stack trace or error: its paths, its modules. */
const LEAKS = [path.resolve(__dirname, '../..'), 'node_modules', /\n\s+at [\w.<>]+ \(/, /\.[jt]s:\d+:\d+/];

let mdr: MdrSimulator;
let estate: EdgeEstate;
let authorizations: string[];
let seeds: { ids: string[]; cursors: string[] };

beforeAll(async () => {
  mdr = await startSmallMdr();
  estate = await startEdgeEstate({ mdr: mdrSettings(mdr), env: { GRAPHQL_MAX_BODY_BYTES: String(MAX_BODY_BYTES) } });
  const { gw } = estate;
  authorizations = await Promise.all(
    [
      { role: 'administrator' as const },
      { role: 'viewer' as const },
      { role: 'senior_security_officer' as const, tenant: mdr.routes.assets[0]!.tenant_name },
    ].map(async (o) => (await gw.as(o)).authorization!),
  );
  const data = await gw.gql(`{
    hosts(first: 2) { pageInfo { endCursor } nodes { id hostId } }
    incidents(first: 2) { pageInfo { endCursor } nodes { id incidentId responses { nodes { id responseId } } } }
    assets(first: 2) { pageInfo { endCursor } nodes { id assetId } }
    sensors { id sensorId }
  }`);
  const incident = data.incidents.nodes[0];
  seeds = {
    ids: [
      ...data.hosts.nodes.flatMap((h: any) => [h.id, h.hostId]),
      ...data.incidents.nodes.flatMap((i: any) => [i.id, i.incidentId]),
      ...data.assets.nodes.flatMap((a: any) => [a.id, a.assetId]),
      ...data.sensors.slice(0, 2).flatMap((s: any) => [s.id, s.sensorId]),
      ...incident.responses.nodes.flatMap((r: any) => [r.id, r.responseId]),
    ],
    cursors: [data.hosts.pageInfo.endCursor, data.incidents.pageInfo.endCursor, data.assets.pageInfo.endCursor],
  };
});
afterAll(async () => {
  await estate?.stop();
  await mdr?.close();
});

async function send(req: FuzzRequest): Promise<{ status: number; type: string; text: string }> {
  const res = await request(`${estate.gw.origin}${req.path}`, {
    method: req.method,
    headers: req.headers,
    body: typeof req.body === 'string' ? withDeepValues(req.body) : req.body,
  });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), text: await res.body.text() };
}

/** Why an answer is wrong, or null: a 5xx, an uncoded or INTERNAL_SERVER_ERROR error, a leak. */
function fault(answer: { status: number; type: string; text: string }): string | null {
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  for (const leak of LEAKS) {
    if (typeof leak === 'string' ? answer.text.includes(leak) : leak.test(answer.text)) return `leaks ${leak}`;
  }
  if (!/json/.test(answer.type) || !answer.text) return null; // the playground page, a 204, an answer to HEAD
  let body: { errors?: { message?: unknown; extensions?: { code?: unknown; reason?: unknown } }[] };
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'a JSON content type with a body that is not JSON';
  }
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code;
    if (typeof code !== 'string') return `an error without a code: ${JSON.stringify(error)}`;
    if (code === 'INTERNAL_SERVER_ERROR') return `INTERNAL_SERVER_ERROR: ${JSON.stringify(error.message)}`;
    // Only our words say which mistake it was: a BAD_REQUEST without a reason is one we do not know.
    if (code === 'BAD_REQUEST' && typeof error.extensions?.reason !== 'string')
      return `BAD_REQUEST without a reason: ${JSON.stringify(error.message)}`;
  }
  return null;
}

test(`${REQUESTS} fuzzed requests: no 5xx, no INTERNAL_SERVER_ERROR, no uncoded error, no stack or path`, async () => {
  const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8'));
  const statuses = new Map<number, number>();
  const codes = new Map<string, number>();
  /** Every wrong answer, one example per kind of fault: a run reports all it found, not the first. */
  const faults = new Map<string, string>();
  await fc.assert(
    fc.asyncProperty(fuzzRequests(schema, { ...seeds, maxBodyBytes: MAX_BODY_BYTES }, authorizations), async (req) => {
      const answer = await send(req);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      for (const m of answer.text.matchAll(
        /"message":"(.{0,40})[^"]*"(?:,"locations":[^\]]*\])?(?:,"path":[^\]]*\])?,"extensions":\{"code":"([A-Z_]+)"/g,
      )) {
        const key = process.env.FUZZ_REPORT === 'messages' ? `${m[2]} ${m[1]}` : m[2]!;
        codes.set(key, (codes.get(key) ?? 0) + 1);
      }
      const why = fault(answer);
      if (why && !faults.has(why)) {
        const sent = JSON.stringify({
          ...req,
          headers: { ...req.headers, authorization: '…' },
          body: String(req.body ?? '').slice(0, 1000),
        });
        faults.set(why, `request: ${sent}\nanswer: ${answer.status} ${answer.text.slice(0, 500)}`);
      }
    }),
    { seed: SEED, numRuns: REQUESTS, endOnFailure: true },
  );
  if (process.env.FUZZ_REPORT) {
    process.stdout.write(
      `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\ncodes ${JSON.stringify(Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])))}\n`,
    );
  }
  expect([...faults].map(([why, example]) => `${why}\n${example}`)).toEqual([]);

  // Healthy after: probes pass, an ordinary query answers, nothing was counted as a bug.
  const { gw } = estate;
  expect((await fetch(`${gw.origin}/healthz`)).status).toBe(200);
  expect((await fetch(`${gw.origin}/readyz`)).status).toBe(200);
  expect(await gw.gql('{ upstreams { upstream reachable } }')).toEqual({
    upstreams: [
      { upstream: 'MDR', reachable: true },
      { upstream: 'KSC', reachable: true },
      { upstream: 'KATA', reachable: true },
    ],
  });
  const metrics = await (await fetch(`${gw.origin}/metrics`)).text();
  expect(metrics).not.toMatch(/code="INTERNAL_SERVER_ERROR"/);
}, 600_000);
