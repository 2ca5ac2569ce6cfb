import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/**
 * Paths that may carry secrets anywhere in a log object. Redaction is the second line of defence:
 * code never passes secrets to the logger on purpose.
 */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.refreshToken',
  '*.refresh_token',
  '*.accessToken',
  '*.access_token',
  '*.password',
  '*.token',
  'refreshToken',
  'password',
  'token',
];

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A logger that writes nothing: for library use and tests that do not inspect logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
