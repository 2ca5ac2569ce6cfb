import { accessSync, constants, mkdirSync, statSync } from 'node:fs';

import { ConfigError } from './config-error';

/**
 * Creates `STATE_DIR` if needed and checks that the gateway can write there, before anything
 * (simulator certificates, the demo key, rotated MDR refresh tokens) depends on it: a refresh token
 * that cannot be stored is lost at the next restart, so this is a start-up error, not a later one.
 */
export function ensureStateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError('STATE_DIR', `cannot create ${dir}: ${reason(error)}.`);
  }
  if (!statSync(dir).isDirectory()) throw new ConfigError('STATE_DIR', `${dir} is not a directory.`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new ConfigError('STATE_DIR', `${dir} is not writable: ${reason(error)}.`);
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EEXIST':
      return 'it exists and is not a directory (EEXIST)';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory (ENOTDIR)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EROFS':
      return 'read-only file system (EROFS)';
    default:
      return code ?? String(error);
  }
}
