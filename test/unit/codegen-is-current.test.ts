import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

/**
 * Runs GraphQL Code Generator exactly as `npm run codegen` does, but without writing: it prints
 * what it would write (a child process, since the CLI is ES-module code jest does not load).
 */
const GENERATE_WITHOUT_WRITING = `
const { generate, loadCodegenConfig } = require('@graphql-codegen/cli');
(async () => {
  const { config } = await loadCodegenConfig({ configFilePath: 'codegen.yml' });
  const outputs = await generate({ ...config, cwd: process.cwd(), silent: true }, false);
  process.stdout.write(JSON.stringify(outputs.map(({ filename, content }) => ({ filename, content }))));
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

describe('the generated typed documents', () => {
  test('match schema/schema.graphql and examples/operations (run `npm run codegen` when this fails)', () => {
    const outputs = JSON.parse(
      execFileSync(process.execPath, ['-e', GENERATE_WITHOUT_WRITING], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }),
    ) as { filename: string; content: string }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const { filename, content } of outputs) {
      expect(readFileSync(path.resolve(root, filename), 'utf8')).toBe(content);
    }
  }, 60_000);
});
