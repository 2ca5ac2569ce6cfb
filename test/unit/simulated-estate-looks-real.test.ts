import { KscData } from '../../src/upstreams/ksc/simulator/data';
import { KscLong } from '../../src/upstreams/ksc/wire';
import { buildAssets, buildIncidentCores, materializeIncident } from '../../src/upstreams/mdr/simulator/data';
import { MITRE } from '../../src/upstreams/mdr/simulator/scenarios';
import { TEST_EPOCH_MS } from '../helpers/epoch';

const SEED = 11;
const SCALE = 0.2;
const mdr = buildAssets(SEED, SCALE, TEST_EPOCH_MS);
const incidents = buildIncidentCores(SEED, SCALE, TEST_EPOCH_MS, mdr).map((core) =>
  materializeIncident(SEED, core, mdr),
);
const ksc = new KscData(SEED, SCALE, TEST_EPOCH_MS);
const tenantOfAsset = new Map(mdr.assets.map((a) => [a.asset_id, a.tenant_name]));
const machineOfHost = new Map(mdr.machines.map((m) => [m.hostName, m]));

describe('simulated MDR incidents tell one consistent story', () => {
  test('an open or on-hold incident never says the SOC confirmed it; a closed one says its verdict', () => {
    const pending = incidents.filter((i) => i.status === 'Open' || i.status === 'On hold');
    const falsePositives = incidents.filter((i) => i.resolution === 'False positive');
    expect(pending.length).toBeGreaterThan(0);
    expect(falsePositives.length).toBeGreaterThan(0);
    const verdict = /confirmed (it )?as malicious|malicious behaviour|false positive|closed/i;
    expect(
      pending.filter(
        (i) =>
          i.resolution !== '' ||
          i.status_description !== '' ||
          verdict.test(i.description!) ||
          (i.comments ?? []).some((c) => verdict.test(c.text)),
      ),
    ).toEqual([]);
    expect(
      falsePositives.filter(
        (i) =>
          i.status !== 'Closed' ||
          !/false positive/.test(i.description!) ||
          /confirmed it as malicious/.test(i.description!) ||
          (i.responses ?? []).some((r) => r.status === 'Confirmed'),
      ),
    ).toEqual([]);
    const confirmed = incidents.filter((x) => x.resolution === 'True positive');
    expect(confirmed.filter((i) => !/confirmed it as malicious/.test(i.description!))).toEqual([]);
  });

  test('no incident repeats a comment', () => {
    const withThreads = incidents.filter((i) => (i.comments?.length ?? 0) >= 3);
    expect(withThreads.length).toBeGreaterThan(0);
    const repeated = incidents.filter((i) => new Set(i.comments!.map((c) => c.text)).size !== i.comments!.length);
    expect(repeated).toEqual([]);
  });

  test('an incident’s affected assets all belong to its tenant', () => {
    const multi = incidents.filter((i) => (i.affected_hosts?.length ?? 0) > 1);
    expect(multi.length).toBeGreaterThan(0);
    const foreign = incidents.filter((i) =>
      i.affected_hosts!.some((pair) => tenantOfAsset.get(pair.slice(pair.lastIndexOf(':') + 1)) !== i.tenant_name),
    );
    expect(foreign).toEqual([]);
  });

  test('techniques are ATT&CK ids under the incident’s own tactics, and the text names them', () => {
    const tacticOf = new Map(MITRE.flatMap(([tactic, ts]) => ts.map((t) => [t, tactic])));
    const odd = incidents.filter(
      (i) =>
        i.mitre_techniques!.length === 0 ||
        i.mitre_techniques!.some(
          (t) =>
            !/^T\d{4}(\.\d{3})?: \S/.test(t) ||
            !i.mitre_tactics!.includes(tacticOf.get(t)!) ||
            !i.description!.includes(t),
        ),
    );
    expect(odd).toEqual([]);
  });

  test('paths, processes and users fit the host: its OS and the user KSC lists for it', () => {
    const linux = incidents.filter(
      (i) => machineOfHost.get(i.affected_hosts![0]!.split(':')[0]!)!.osFamily === 'Linux',
    );
    expect(linux.length).toBeGreaterThan(0);
    const windowsy = linux.filter(
      (i) =>
        /[A-Z]:\\|\.exe\b/i.test(i.description!) ||
        (i.responses ?? []).some((r) => /[A-Z]:\\/.test(JSON.stringify(r.details ?? {})) || r.type === 'PREVENTION'),
    );
    expect(windowsy).toEqual([]);
    const kscHost = new Map(ksc.hosts.map((h) => [h.name, h]));
    const strangers = incidents.filter((i) => {
      const machine = machineOfHost.get(i.affected_hosts![0]!.split(':')[0]!)!;
      const host = kscHost.get(machine.hostName);
      return (
        !i.description!.includes(`${machine.user.netbiosDomain}\\${machine.user.sam}`) ||
        (host !== undefined && ksc.usersOf(host)[0]!.KLHSTUSER_SAMNAME !== machine.user.sam)
      );
    });
    expect(strangers).toEqual([]);
  });

  test('times stay inside the incident: responses and comments between its creation and last update', () => {
    const outside = incidents.filter(
      (i) =>
        i.creation_time > TEST_EPOCH_MS ||
        i.update_time < i.creation_time ||
        [...i.responses!, ...i.comments!].some(
          (x) => x.creation_time! < i.creation_time || x.creation_time! > i.update_time,
        ),
    );
    expect(outside).toEqual([]);
  });
});

describe('simulated KSC inventories look like a real fleet', () => {
  const files = ksc.hosts.flatMap((h) => ksc.exeFilesOf(h));
  const size = (r: Record<string, unknown>) => (r.FILE_SIZE as KscLong).value;

  test('executables have their real sizes: system binaries are small, nothing is hundreds of MB', () => {
    expect(files.length).toBeGreaterThan(0);
    const huge = files.filter(
      (f) =>
        size(f) >= 200_000_000 || (String(f.FILE_PATH).startsWith('C:\\Windows\\System32\\') && size(f) >= 1_000_000),
    );
    expect(huge).toEqual([]);
    const powershell = files.filter((f) => f.FILE_NAME === 'powershell.exe');
    expect(powershell.length).toBeGreaterThan(0);
    expect(powershell.filter((f) => size(f) >= 1_000_000)).toEqual([]);
  });

  test('one build is one file: the same name and version has one size and one hash on every host', () => {
    const byBuild = new Map<string, Set<string>>();
    for (const f of files) {
      const key = `${f.FILE_NAME}@${f.FILE_VERSION}`;
      if (!byBuild.has(key)) byBuild.set(key, new Set());
      byBuild.get(key)!.add(`${size(f)}:${f.SHA256}`);
    }
    for (const variants of byBuild.values()) expect(variants.size).toBe(1);
  });

  test('user folders in paths are the host’s user; Linux hosts have no Windows paths in their events', () => {
    const misplaced = ksc.hosts.flatMap((h) =>
      ksc.exeFilesOf(h).filter((f) => {
        const m = /^C:\\Users\\([^\\]+)\\/.exec(String(f.FILE_PATH));
        return m && m[1] !== 'Public' && m[1] !== h.machine.user.sam;
      }),
    );
    expect(misplaced).toEqual([]);
    const store = ksc.eventStore;
    const linuxIds = new Set(ksc.hosts.filter((h) => h.machine.osFamily === 'Linux').map((h) => h.id));
    let seen = 0;
    const windowsPaths: string[] = [];
    for (let i = 0; i < store.count; i++) {
      const light = store.lightRow(i);
      if (!linuxIds.has(String(light.hostname))) continue;
      const row = store.row(i);
      if (row.GNRL_EA_PARAM_2 === undefined) continue;
      seen++;
      if (!String(row.GNRL_EA_PARAM_2).startsWith('/')) windowsPaths.push(String(row.GNRL_EA_PARAM_2));
    }
    expect(seen).toBeGreaterThan(0);
    expect(windowsPaths).toEqual([]);
  });
});
