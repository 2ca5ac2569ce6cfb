import { toDate, toKataTask, toTaskState } from '../../src/upstreams/kata/map';

describe('KATA wire → domain', () => {
  test.each([
    ['pending', 'PENDING'],
    ['Waiting', 'PENDING'],
    ['running', 'RUNNING'],
    ['In progress', 'RUNNING'],
    ['IN_PROGRESS', 'RUNNING'],
    ['completed', 'COMPLETED'],
    ['Finished', 'COMPLETED'],
    ['failed', 'FAILED'],
    ['error', 'FAILED'],
    ['canceled', 'CANCELLED'],
    ['stopped', 'CANCELLED'],
    ['something new', 'UNKNOWN'],
    ['', 'UNKNOWN'],
  ])('task state %j is %s', (vendor, state) => {
    expect(toTaskState(vendor)).toBe(state);
  });

  test('times: RFC 3339, Go zero time, epoch seconds and milliseconds', () => {
    expect(toDate('2026-11-23T08:05:48Z')).toEqual(new Date('2026-11-23T08:05:48Z'));
    expect(toDate('0001-01-01T00:00:00Z')).toBeNull();
    expect(toDate(1_763_884_800)).toEqual(new Date(1_763_884_800_000));
    expect(toDate(1_763_884_800_123)).toEqual(new Date(1_763_884_800_123));
    expect(toDate('1763884800')).toEqual(new Date(1_763_884_800_000));
    expect(toDate(null)).toBeNull();
    expect(toDate('garbage')).toBeNull();
    expect(toDate(1e20)).toBeNull();
  });

  test('a task read with settings=false keeps what was sent', () => {
    expect(
      toKataTask(
        't',
        { state: 'running', latestStartDateTime: '2026-11-23T08:00:00Z' },
        { execCommand: 'a.exe', shedule: { startNow: false }, sensorId: 'S' },
      ),
    ).toEqual({
      taskId: 't',
      upstream: 'KATA',
      state: 'RUNNING',
      vendorState: 'running',
      sensorId: 'S',
      latestStartTime: new Date('2026-11-23T08:00:00Z'),
      execCommand: 'a.exe',
      cmdLineParameters: null,
      workingDirectory: null,
      startNow: false,
    });
  });
});
