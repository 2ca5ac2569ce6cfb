// Compiles src/ to dist/ when dist is missing or older than any source file, so `npm start` works
// right after `npm ci` and stays fast when nothing changed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const marker = path.join(root, 'dist', 'main.js');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

// A built image ships dist/ without its sources: nothing to compare, nothing to build.
const shipped = !existsSync(path.join(root, 'src')) && existsSync(marker);
const stale = () =>
  !existsSync(marker) ||
  statSync(marker).mtimeMs <
    Math.max(newest(path.join(root, 'src')), statSync(path.join(root, 'tsconfig.json')).mtimeMs);
if (!shipped && stale()) {
  process.stderr.write('Building (tsc)…\n');
  try {
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.json')],
      {
        stdio: 'inherit',
      },
    );
  } catch {
    process.stderr.write('Build failed: see the TypeScript errors above.\n');
    process.exit(1);
  }
}
