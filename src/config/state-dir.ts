import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

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

/**
 * Writes a file of the state directory (keys, certificates, credentials) readable by the owner
 * only, atomically: a temporary file, flushed, then renamed over the old one, so a crash leaves the
 * old content or the new, never half of either.
 */
export function writePrivateFile(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
