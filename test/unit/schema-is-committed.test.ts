import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { printGatewaySchema } from '../../src/graph/schema';

const root = path.join(__dirname, '..', '..');

describe('the committed schema', () => {
  test('equals what the code emits (run `npm run schema` after changing the graph)', () => {
    const committed = readFileSync(path.join(root, 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(printGatewaySchema());
  });

  test('reports how much of the API contract it covers', () => {
    const tool = path.join(root, '..', 'shared', 'tools', 'contract-check.mjs');
    let output: string;
    try {
      output = execFileSync(process.execPath, [tool, path.join(root, 'schema', 'schema.graphql')], { encoding: 'utf8', cwd: root });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? '');
    }
    const summary = output.trim().split('\n').at(-1) ?? '';
    process.stdout.write(`contract coverage: ${summary}\n`);
    expect(summary).toMatch(/\S/);
  });
});
