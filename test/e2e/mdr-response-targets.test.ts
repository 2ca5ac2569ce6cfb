import { RESPONSE_TYPES } from '../../src/upstreams/mdr/simulator/data';
import type * as wire from '../../src/upstreams/mdr/wire';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';
import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';

const RESPONSES = `query ($id: String!) {
  incident(incidentId: $id) {
    responses(first: 10) {
      nodes {
        responseId type parameters
        details {
          __typename
          ... on FileResponseDetails { filePath md5 sha256 fileSizeLimitMb }
          ... on ProcessResponseDetails { processId processName filePath commandLine sha256 }
          ... on PreventionResponseDetails { filePath md5 sha256 }
          ... on IsolationResponseDetails { isolationPeriodSeconds }
          ... on ScriptResponseDetails { filePath interpreter workingDirectory interpreterParameters }
        }
      }
    }
  }
}`;

/** An analyst confirms a response knowing what it touches: every type shows its target. */
describe('MDR response targets in parameters and typed details', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startSmallMdr();
    gw = await startTestGateway({ mdr: mdrSettings(sim) });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });

  const firstOf = (type: string) => {
    for (const incident of sim.routes.incidents)
      for (const r of incident.responses ?? []) if (r.type === type) return { incident, r };
    throw new Error(`no ${type} response in the simulated data`);
  };
  const read = async (incident: wire.Incident, r: wire.Response) => {
    const data = await gw.gql(RESPONSES, { id: incident.incident_id });
    return data.incident.responses.nodes.find((n: { responseId: string }) => n.responseId === r.response_id);
  };

  test.each(RESPONSE_TYPES)('%s: parameters carry MDR details and the typed target matches them', async (type) => {
    const { incident, r } = firstOf(type);
    const node = await read(incident, r);
    expect(node.parameters).toEqual({ ...r.details, ...(r.parameters ?? {}) });
    expect(node.parameters).not.toBeNull();
    const d = { ...r.details, ...(r.parameters ?? {}) } as Record<string, unknown>;
    const expected: Record<string, Record<string, unknown>> = {
      COPY_FILE_TO_SOC: {
        __typename: 'FileResponseDetails',
        filePath: d.file_path,
        fileSizeLimitMb: d.file_size_limit,
        md5: null,
        sha256: null,
      },
      QUARANTINE_FILE: { __typename: 'FileResponseDetails', filePath: d.file_path, md5: d.md5, sha256: d.sha256 },
      DELETE_FILE: { __typename: 'FileResponseDetails', filePath: d.file_path, md5: d.md5, sha256: d.sha256 },
      KILL_PROCESS: {
        __typename: 'ProcessResponseDetails',
        processId: d.process_id,
        processName: d.process_name,
        filePath: d.file_path,
        commandLine: d.command_line,
        sha256: d.sha256,
      },
      PREVENTION: { __typename: 'PreventionResponseDetails', filePath: d.file_path, md5: d.md5, sha256: d.sha256 },
      ISOLATE_HOST: { __typename: 'IsolationResponseDetails', isolationPeriodSeconds: d.isolation_period_s },
      RUN_SCRIPT: {
        __typename: 'ScriptResponseDetails',
        filePath: d.file_path,
        interpreter: d.interpreter,
        workingDirectory: d.workingDirectory,
      },
    };
    expect(node.details).toMatchObject(expected[type]!);
    // A target is something to act on: none of the fields that name it is empty.
    for (const [key, value] of Object.entries(expected[type]!))
      if (key !== '__typename' && !(type === 'COPY_FILE_TO_SOC' && /md5|sha256/.test(key))) expect(value).toBeTruthy();
  });

  test('every file response names a path of its asset’s OS, with well-formed hashes', () => {
    const assets = new Map(sim.routes.assets.map((a) => [a.asset_id, a]));
    const files = sim.routes.incidents
      .flatMap((i) => i.responses ?? [])
      .filter((r) => ['QUARANTINE_FILE', 'DELETE_FILE', 'PREVENTION'].includes(r.type));
    expect(files.length).toBeGreaterThan(10);
    for (const r of files) {
      const windows = /windows/i.test(assets.get(r.asset_id!)?.os_version ?? '');
      expect(r.details?.file_path).toMatch(windows ? /^[A-Z]:\\/ : /^\//);
      expect(r.details).toMatchObject({
        md5: expect.stringMatching(/^[0-9a-f]{32}$/),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
  });
});
