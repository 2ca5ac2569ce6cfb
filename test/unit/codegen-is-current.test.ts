import { readFileSync } from 'node:fs';
import path from 'node:path';

import { generate, loadCodegenConfig } from '@graphql-codegen/cli';

const root = path.join(__dirname, '..', '..');

describe('the generated typed documents', () => {
  test('match schema/schema.graphql and examples/operations (run `npm run codegen` when this fails)', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: path.join(root, 'codegen.yml') });
    const outputs = (await generate({ ...config, cwd: root, silent: true }, false)) as {
      filename: string;
      content: string;
    }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const { filename, content } of outputs) {
      expect(readFileSync(path.resolve(root, filename), 'utf8')).toBe(content);
    }
  }, 60_000);
});

