import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const root = path.join(__dirname, '..', '..');

describe('the Relay artifacts in examples/relay/__generated__', () => {
  test('match schema/schema.graphql and the Relay documents (run `npm run relay` when this fails)', () => {
    // relay-compiler --validate compiles as `npm run relay` does and exits non-zero instead of
    // writing when an artifact is out of date, missing or left over; it also checks the documents
    // against the schema's Relay conventions (Node, connections).
    const run = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules', 'relay-compiler', 'cli.js'), '--validate', '--output', 'quiet-with-errors'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    const output = stripVTControlCharacters(`${run.stdout}${run.stderr}`).trim();
    expect({ status: run.status, output }).toEqual({ status: 0, output: '' });
  });
});
