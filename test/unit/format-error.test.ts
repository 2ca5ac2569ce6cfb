import { GraphQLError, Source } from 'graphql';

import { formatError } from '../../src/errors/format-error';
import { GatewayError } from '../../src/errors/gateway-error';
import { UpstreamError } from '../../src/errors/upstream-error';

const located = (original: Error) =>
  new GraphQLError(original.message, { path: ['incident'], originalError: original });

describe('formatError', () => {
  test('keeps the code and message of gateway errors, and names the upstream', () => {
    const error = new UpstreamError('mdr', 'UPSTREAM_TIMEOUT', 'MDR did not answer in time.', {
      cause: { body: 'secret internals' },
    });
    expect(formatError({ message: error.message, path: ['incident'] }, located(error))).toEqual({
      message: 'MDR did not answer in time.',
      path: ['incident'],
      locations: undefined,
      extensions: { code: 'UPSTREAM_TIMEOUT', upstream: 'MDR' },
    });
  });

  test('masks anything unexpected, with no stack trace', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const formatted = formatError({ message: bug.message, extensions: { stacktrace: ['at x.ts:1'] } }, located(bug));
    expect(formatted).toEqual({
      message: 'Unexpected error.',
      path: undefined,
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  test('passes request errors through without stack traces', () => {
    const parse = new GraphQLError('Syntax Error: Expected Name, found <EOF>.', {
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    expect(
      formatError({ message: parse.message, extensions: { code: 'GRAPHQL_PARSE_FAILED', stacktrace: ['x'] } }, parse),
    ).toEqual({
      message: parse.message,
      path: undefined,
      locations: undefined,
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  test('drops the names graphql-js suggests, in validation and in variable errors alike', () => {
    const strip = (message: string, code: string) =>
      formatError({ message, extensions: { code } }, new GraphQLError(message, { extensions: { code } })).message;
    expect(
      strip(
        'Cannot query field "incidnts" on type "Query". Did you mean "incidents" or "incident"?',
        'GRAPHQL_VALIDATION_FAILED',
      ),
    ).toBe('Cannot query field "incidnts" on type "Query".');
    expect(
      strip(
        'Variable "$s" got invalid value "OPNE"; Value "OPNE" does not exist in "IncidentStatus" enum. Did you mean the enum value "OPEN"?',
        'BAD_USER_INPUT',
      ),
    ).toBe('Variable "$s" got invalid value "OPNE"; Value "OPNE" does not exist in "IncidentStatus" enum.');
    expect(strip('Syntax Error: Expected Name, found "?".', 'GRAPHQL_PARSE_FAILED')).toBe(
      'Syntax Error: Expected Name, found "?".',
    );
  });

  test('adds safe details of bad input', () => {
    const error = new GatewayError('BAD_USER_INPUT', 'Bad cursor.', { details: { argument: 'after' } });
    expect(formatError({ message: error.message }, located(error)).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'after',
    });
  });

  test.each([
    ['provided sha does not match query', undefined, 'PERSISTED_QUERY_HASH_MISMATCH', /sha256Hash is not the SHA-256/],
    ['Unsupported persisted query version', undefined, 'PERSISTED_QUERY_NOT_SUPPORTED', /^Only version 1/],
    [
      'Too many errors processing variables, error limit reached. Execution aborted.',
      undefined,
      'BAD_USER_INPUT',
      /^Too many invalid variable values/,
    ],
    ['Schema is not configured to execute subscription operation.', [1], 'OPERATION_NOT_SUPPORTED', /^This gateway/],
    ['A request mistake worded as no one has yet', undefined, 'BAD_REQUEST', /^A request mistake/],
    ['Argument "x" has no value', [2], 'BAD_USER_INPUT', /^Argument "x"/],
  ])(
    'an uncoded request error of the libraries, "%s", is the caller\'s: a code of its own, never INTERNAL_SERVER_ERROR',
    (message, at, code, says) => {
      const located = new GraphQLError(message, at ? { positions: at, source: new Source('{ x }') } : {});
      // Apollo stamps INTERNAL_SERVER_ERROR on every error without a code before formatError sees it.
      const formatted = formatError({ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, located);
      expect(formatted.extensions).toEqual({ code });
      expect(formatted.message).toMatch(says);
    },
  );
});
