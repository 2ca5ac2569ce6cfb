import { Writable } from 'node:stream';

import { createLogger } from '../../src/logger';
import type { Logger } from '../../src/logger';

/** A gateway logger whose lines are kept, parsed, for a test to read (`level` is pino's label). */
export function capturedLogs(level = 'info'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}
