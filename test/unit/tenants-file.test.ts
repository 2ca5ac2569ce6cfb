import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { loadConfig } from '../../src/config/load';
import { estateTenants } from '../../src/simulators/start-simulators';

const dir = mkdtempSync(path.join(tmpdir(), 'tenants-file-'));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};
const load = (tenantsFile: string) => loadConfig({ STATE_DIR: dir, TENANTS_FILE: tenantsFile });

describe('TENANTS_FILE', () => {
  test('the example file in examples/ is the demo mapping, and loads', () => {
    const example = path.join(__dirname, '..', '..', 'examples', 'tenants.yaml');
    const byName = (list: readonly { name: string }[] = []) => [...list].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(load(example).tenants)).toEqual(byName(estateTenants()));
  });

  test('YAML and JSON give the same mapping; group ids and paths both work; kata defaults to none', () => {
    const yaml = file('t.yaml', 'tenants:\n  - name: Acme\n    ksc: { groups: [12, "Managed devices/Acme"] }\n');
    const json = file(
      't.json',
      JSON.stringify({ tenants: [{ name: 'Acme', ksc: { groups: [12, 'Managed devices/Acme'] } }] }),
    );
    const expected = [{ name: 'Acme', kscGroups: [12, 'Managed devices/Acme'], kataSensors: [] }];
    expect(load(yaml).tenants).toEqual(expected);
    expect(load(json).tenants).toEqual(expected);
  });

  test.each([
    ['missing file', path.join(dir, 'nope.yaml'), /^Invalid setting TENANTS_FILE: cannot read .*nope\.yaml\.$/],
    [
      'not YAML',
      file('bad.yaml', 'tenants: [\n  - name: x\n'),
      /^Invalid setting TENANTS_FILE: .* is not valid YAML or JSON/,
    ],
    ['no tenants', file('empty.yaml', 'tenants: []\n'), /^Invalid setting TENANTS_FILE: .*: tenants: /],
    [
      'a group that is neither an id nor a path',
      file('group.yaml', 'tenants:\n  - name: A\n    ksc: { groups: [-1] }\n'),
      /^Invalid setting TENANTS_FILE: .*: tenants\.0\.ksc\.groups\.0: /,
    ],
    [
      'an unknown key',
      file('key.yaml', 'tenants:\n  - name: A\n    mdr: {}\n'),
      /^Invalid setting TENANTS_FILE: .*: tenants\.0: /,
    ],
    [
      'a tenant twice',
      file('twice.yaml', 'tenants:\n  - name: A\n  - name: A\n'),
      /^Invalid setting TENANTS_FILE: .*: tenants\.1\.name: "A" is listed twice\.$/,
    ],
  ])('a bad file stops the start with one line naming the problem: %s', (_name, at, message) => {
    let error: Error | undefined;
    try {
      load(at);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  test('AUTH_ALL_TENANTS_ROLES takes role names and refuses others', () => {
    expect(loadConfig({ STATE_DIR: dir }).auth.allTenantsRoles).toEqual(['administrator']);
    expect(loadConfig({ STATE_DIR: dir, AUTH_ALL_TENANTS_ROLES: 'viewer' }).auth.allTenantsRoles).toEqual(['viewer']);
    expect(() => loadConfig({ STATE_DIR: dir, AUTH_ALL_TENANTS_ROLES: 'root' })).toThrow(
      /^Invalid setting AUTH_ALL_TENANTS_ROLES: "root" is not a role/,
    );
  });
});
