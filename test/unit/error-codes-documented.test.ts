import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { ERROR_CODES } from '../../src/errors/codes';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) return name === 'simulator' ? [] : sources(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}

describe('error codes', () => {
  test('docs/errors.md lists every code with its meaning, as src/errors/codes.ts has them', () => {
    const rows = [...read('docs/errors.md').matchAll(/^\| `([A-Z_]+)` \| (.+) \|$/gm)].map(([, code, meaning]) => [
      code,
      meaning,
    ]);
    expect(rows).toEqual(Object.entries(ERROR_CODES));
  });

  test('every code the gateway sends is one of them (settings, vendor and enum names aside)', () => {
    const settings = new Set([...read('src/config/load.ts').matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map(([, name]) => name));
    const enumValues = new Set(
      [...read('schema/schema.graphql').matchAll(/^ {2}([A-Z][A-Z0-9_]+)$/gm)].map(([, v]) => v),
    );
    const files = ['src/server', 'src/errors', 'src/graph', 'src/auth'].flatMap(sources);
    const literals = new Set(
      files.flatMap((file) => [...read(file).matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)].map(([, v]) => v!)),
    );
    const codes = [...literals].filter((v) => !settings.has(v) && !enumValues.has(v) && !/^(ERR|EAI)_/.test(v));
    expect(codes.filter((c) => !(c in ERROR_CODES))).toEqual([]);
  });
});
