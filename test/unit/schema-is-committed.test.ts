import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { buildSchema, findBreakingChanges } from 'graphql';

import { printGatewaySchema } from '../../src/graph/schema';

const root = path.join(__dirname, '..', '..');
const committedSchema = () => readFileSync(path.join(root, 'schema', 'schema.graphql'), 'utf8');
/** The API contract frontends code against, kept with the schema so a lone clone can check it. */
const contract = readFileSync(path.join(root, 'schema', 'contract.graphql'), 'utf8');
/** Where the contract is published, beside the repository in the team's workspace (may be absent). */
const publishedContract = path.join(root, '..', 'shared', 'spec', 'contract.graphql');
const contractTool = path.join(root, '..', 'shared', 'tools', 'contract-check.mjs');

describe('the committed schema', () => {
  test('equals what the code emits (run `npm run schema` after changing the graph)', () => {
    expect(committedSchema()).toBe(printGatewaySchema());
  });

  test('contains the whole API contract: every type, field and argument, with compatible types', () => {
    const gaps = findBreakingChanges(buildSchema(contract), buildSchema(committedSchema())).map((c) => c.description);
    expect(gaps).toEqual([]);
  });

  (existsSync(publishedContract) ? test : test.skip)('schema/contract.graphql is the published contract', () => {
    expect(contract).toBe(readFileSync(publishedContract, 'utf8'));
  });

  (existsSync(contractTool) ? test : test.skip)("passes the contract's own checker", () => {
    let output: string;
    let status = 0;
    try {
      output = execFileSync(process.execPath, [contractTool, path.join(root, 'schema', 'schema.graphql')], {
        encoding: 'utf8',
        cwd: root,
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? '');
      status = (error as { status?: number }).status ?? 1;
    }
    const summary = output.trim().split('\n').at(-1) ?? '';
    process.stdout.write(`contract coverage: ${summary}\n`);
    expect({ status, summary }).toEqual({
      status: 0,
      summary: expect.stringMatching(/^contract: 0 gaps against \d+ types/),
    });
  });
});
