import { ipToLong, longToIp, toEvent, toHost, toTask, toTaskStatistics } from '../../src/upstreams/ksc/map';
import { KscLong, decodeValue, encodeValue } from '../../src/upstreams/ksc/wire';

describe('KSC wire values and mapping', () => {
  test('typed values: wrapped inside containers, bare at top level; decoded to JSON-friendly values', () => {
    const row = {
      t: new Date('2026-11-01T10:20:30.456Z'),
      n: new KscLong(7),
      b: Buffer.from('hi'),
      nested: { x: 1 },
      list: [{ y: 2 }],
    };
    const inner = encodeValue(row) as { type: string; value: Record<string, unknown> };
    expect(inner).toEqual({
      type: 'params',
      value: {
        t: { type: 'datetime', value: '2026-11-01T10:20:30Z' },
        n: { type: 'long', value: 7 },
        b: { type: 'binary', value: 'aGk=' },
        nested: { type: 'params', value: { x: 1 } },
        list: [{ type: 'params', value: { y: 2 } }],
      },
    });
    expect(encodeValue(row, true)).toEqual(inner.value);
    expect(encodeValue(new KscLong(5), true)).toBe(5);
    expect(decodeValue(inner)).toEqual({
      t: '2026-11-01T10:20:30.000Z',
      n: 7,
      b: 'aGk=',
      nested: { x: 1 },
      list: [{ y: 2 }],
    });
    expect(decodeValue({ type: 'datetime', value: '' })).toBeNull();
    // A third key makes it an object that happens to have these names, not a typed value.
    expect(decodeValue({ type: 'long', value: 7, unit: 's' })).toEqual({ type: 'long', value: 7, unit: 's' });
  });

  test('a datetime that is no date stays as sent, and the host still maps (without lastVisible)', () => {
    const row = decodeValue({
      type: 'params',
      value: {
        KLHST_WKS_HOSTNAME: 'g',
        KLHST_WKS_DN: 'WS-1',
        KLHST_WKS_LAST_VISIBLE: { type: 'datetime', value: 'yesterday-ish' },
      },
    }) as Record<string, unknown>;
    expect(row.KLHST_WKS_LAST_VISIBLE).toBe('yesterday-ish');
    expect(toHost(row)).toMatchObject({ hostId: 'g', name: 'WS-1', lastVisible: null });
  });

  test('hosts: status bit 0x1 is online, IP from KLHST_WKS_IP_LONG', () => {
    expect(
      toHost({
        KLHST_WKS_HOSTNAME: 'g',
        KLHST_WKS_DN: 'WS-1',
        KLHST_WKS_STATUS: 0x1e,
        KLHST_WKS_IP_LONG: ipToLong('10.1.2.3'),
      }),
    ).toMatchObject({ hostId: 'g', name: 'WS-1', online: false, ipAddress: '10.1.2.3' });
    expect(toHost({ KLHST_WKS_HOSTNAME: 'g', KLHST_WKS_STATUS: 0x1f }).online).toBe(true);
    expect(longToIp(4294967295)).toBe('255.255.255.255');
    expect(ipToLong('300.1.1.1')).toBeNull();
  });

  test('events: severities 1–4, unknown severity reads as INFO', () => {
    expect(toEvent({ event_id: 5, GNRL_EA_SEVERITY: 4, rise_time: '2026-11-01T00:00:00.000Z' })).toMatchObject({
      eventId: '5',
      severity: 'CRITICAL',
      riseTime: new Date('2026-11-01T00:00:00Z'),
    });
    expect(toEvent({ GNRL_EA_SEVERITY: 0 }).severity).toBe('INFO');
  });

  test('product codes read as product names; the code stays beside it', () => {
    expect(toTask('7', { TASKID_PRODUCT_NAME: '1093' })).toMatchObject({
      productName: 'Kaspersky Security Center Administration Server',
      productCode: '1093',
    });
    expect(toEvent({ product_name: 'KES' })).toMatchObject({
      productName: 'Kaspersky Endpoint Security for Windows',
      productCode: 'KES',
    });
    expect(toTask('8', { TASKID_PRODUCT_NAME: 'XYZ' }).productName).toBe('XYZ');
  });

  test.each([
    [{ '2': 1, '4': 3 }, 'RUNNING', 'Running'],
    [{ '1': 4 }, 'PENDING', 'Pending'],
    [{ '32': 4 }, 'PENDING', 'Scheduled'],
    [{ '4': 4 }, 'COMPLETED', 'Completed'],
    [{ '4': 3, '8': 1 }, 'COMPLETED', 'Completed with warnings'],
    [{ '4': 3, '16': 1 }, 'COMPLETED', 'Completed with errors'],
    [{ '16': 2 }, 'FAILED', 'Failed'],
    [{ '4': 2, '1': 2 }, 'PARTIALLY_COMPLETED', 'Partially completed'],
    [{ '4': 2, '32': 1 }, 'PARTIALLY_COMPLETED', 'Partially completed'],
    [{}, 'UNKNOWN', 'No hosts'],
  ])('task statistics %j → %s (%s)', (counts, state, vendorState) => {
    expect(toTaskStatistics(counts)).toMatchObject({ state, vendorState });
  });
});
