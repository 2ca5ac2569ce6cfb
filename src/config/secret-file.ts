import { readFileSync, unwatchFile, watchFile } from 'node:fs';

import type { Logger } from '../logger';

/**
 * Calls `onChange` with a secret file's new content (trimmed, non-empty) whenever it changes.
 * Polls the file's status once a second rather than watching the directory: a Kubernetes Secret
 * volume swaps a symlink, which directory events report unreliably. Returns the stop function.
 */
export function watchSecretFile(
  file: string,
  onChange: (content: string) => void,
  logger: Logger,
  intervalMs = 1_000,
): () => void {
  let last = read(file);
  const listener = () => {
    const content = read(file);
    if (content === undefined) return logger.warn({ file }, 'secret file unreadable or empty; keeping the last one');
    if (content === last) return;
    last = content;
    onChange(content);
  };
  watchFile(file, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(file, listener);
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
