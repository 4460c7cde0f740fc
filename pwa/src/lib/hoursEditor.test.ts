import { describe as group, expect, it } from 'vitest';
import { addGroup, closedDays, crossesMidnight, defaultModel, describe, formatDays, fromOsm, toOsm, toggleDay, validate, type HoursModel } from './hoursEditor';

const model = (groups: HoursModel['groups'], holidaysOff = false): HoursModel => ({ always: false, groups, holidaysOff });
const range = (start: string, end: string) => ({ start, end });

group('days', () => {
  it('writes runs of three or more as a span and shorter ones as a list', () => {
    expect(formatDays(['Mo', 'Tu', 'We', 'Th', 'Fr'])).toBe('Mo-Fr');
    expect(formatDays(['Sa', 'Su'])).toBe('Sa,Su');
    expect(formatDays(['Su', 'Mo', 'We'])).toBe('Mo,We,Su');
    expect(formatDays(['Mo', 'Tu', 'We', 'Fr', 'Sa', 'Su'])).toBe('Mo-We,Fr-Su');
    expect(formatDays(['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'])).toBe('Mo-Su');
  });
});

group('toOsm', () => {
  it('writes the usual shapes', () => {
    expect(toOsm({ always: true, groups: [], holidaysOff: false })).toBe('24/7');
    expect(toOsm({ always: true, groups: [], holidaysOff: true })).toBe('24/7; PH off');
    expect(
      toOsm(
        model(
          [
            { days: ['Sa', 'Su'], allDay: false, ranges: [range('10:00', '18:00')] },
            { days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], allDay: false, ranges: [range('08:00', '20:00')] },
          ],
          true,
        ),
      ),
    ).toBe('Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00; PH off');
  });

  it('sorts ranges, writes a midnight end as 24:00 and keeps an end before the start (next day)', () => {
    const m = model([{ days: ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'], allDay: false, ranges: [range('14:00', '00:00'), range('07:00', '11:30')] }]);
    expect(toOsm(m)).toBe('Mo-Su 07:00-11:30,14:00-24:00');
    expect(toOsm(model([{ days: ['Fr', 'Sa'], allDay: false, ranges: [range('22:00', '06:00')] }]))).toBe('Fr,Sa 22:00-06:00');
    expect(toOsm(model([{ days: ['Mo'], allDay: true, ranges: [] }]))).toBe('Mo 00:00-24:00');
  });
});

group('fromOsm', () => {
  it('reads the usual shapes', () => {
    expect(fromOsm('24/7')).toEqual({ always: true, groups: [], holidaysOff: false });
    expect(fromOsm('24/7; PH off')).toEqual({ always: true, groups: [], holidaysOff: true });
    expect(fromOsm('Mo-Su 00:00-24:00')).toEqual({ always: true, groups: [], holidaysOff: false });
    expect(fromOsm('Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00; PH off')).toEqual(
      model(
        [
          { days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], allDay: false, ranges: [range('08:00', '20:00')] },
          { days: ['Sa', 'Su'], allDay: false, ranges: [range('10:00', '18:00')] },
        ],
        true,
      ),
    );
  });

  it('reads across midnight, extended hours, all-day groups, no days (every day) and wraps', () => {
    expect(fromOsm('Fr,Sa 22:00-06:00')?.groups).toEqual([{ days: ['Fr', 'Sa'], allDay: false, ranges: [range('22:00', '06:00')] }]);
    expect(fromOsm('Mo-Fr 18:00-26:00')?.groups[0]?.ranges).toEqual([range('18:00', '02:00')]);
    expect(fromOsm('Sa 00:00-24:00; Mo-Fr 09:00-17:00')?.groups).toEqual([
      { days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], allDay: false, ranges: [range('09:00', '17:00')] },
      { days: ['Sa'], allDay: true, ranges: [range('08:00', '20:00')] },
    ]);
    expect(fromOsm('08:00-20:00')?.groups[0]?.days).toHaveLength(7);
    expect(fromOsm('Fr-Mo 10:00-16:00')?.groups[0]?.days).toEqual(['Mo', 'Fr', 'Sa', 'Su']);
    expect(fromOsm(' Mo-Fr  08:00-12:00 , 13:00-17:00 ;PH closed')).toEqual(
      model([{ days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], allDay: false, ranges: [range('08:00', '12:00'), range('13:00', '17:00')] }], true),
    );
  });

  it('lets a later rule replace an earlier one for its days, as OSM does, and groups equal days', () => {
    expect(fromOsm('Mo-Su 08:00-20:00; Su off')?.groups).toEqual([{ days: ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'], allDay: false, ranges: [range('08:00', '20:00')] }]);
    expect(fromOsm('Mo 08:00-12:00; Tu 09:00-10:00; We 08:00-12:00')?.groups).toEqual([
      { days: ['Mo', 'We'], allDay: false, ranges: [range('08:00', '12:00')] },
      { days: ['Tu'], allDay: false, ranges: [range('09:00', '10:00')] },
    ]);
  });

  it('gives null for what the editor cannot show', () => {
    for (const s of [
      '',
      'sunrise-sunset',
      'Jan-Mar Mo-Fr 08:00-12:00',
      'Mo-Fr 08:00-12:00, We 14:00-18:00',
      'Mo-Fr 08:00+',
      'Mo-Fr 08:00-20:00 "by appointment"',
      '24/7; Su off',
      'Mo-Fr 25:00-26:00 nonsense',
      'Mo-Fr 08:00-08:00',
      'PH off',
      'Mo[1] 08:00-12:00',
      'SH off; Mo-Fr 08:00-20:00',
    ]) {
      expect(fromOsm(s), s).toBeNull();
    }
  });
});

group('round trip', () => {
  it('a canonical string comes back as written', () => {
    for (const s of [
      '24/7',
      '24/7; PH off',
      'Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00; PH off',
      'Mo-Su 06:00-22:00',
      'Mo-We,Fr 07:30-11:30,13:00-24:00; Sa 00:00-24:00',
      'Fr,Sa 22:00-06:00; Su 10:00-16:00',
      'Mo,We,Fr 09:00-17:00',
    ]) {
      const m = fromOsm(s);
      expect(m, s).not.toBeNull();
      expect(validate(m!), s).toEqual([]);
      expect(toOsm(m!)).toBe(s);
    }
  });

  it('a model written and read again is the same model', () => {
    const models: HoursModel[] = [
      defaultModel(),
      model([
        { days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], allDay: false, ranges: [range('07:00', '11:00'), range('17:00', '01:00')] },
        { days: ['Su'], allDay: false, ranges: [range('09:00', '12:00')] },
      ], true),
      { always: true, groups: [], holidaysOff: true },
    ];
    for (const m of models) expect(fromOsm(toOsm(m))).toEqual(m);
  });
});

group('validate', () => {
  it('names what is wrong', () => {
    expect(validate(model([]))).toEqual([{ code: 'no_groups' }]);
    expect(validate(model([{ days: [], allDay: false, ranges: [range('08:00', '20:00')] }]))).toEqual([{ code: 'no_days', group: 0 }]);
    expect(validate(model([{ days: ['Mo'], allDay: false, ranges: [] }]))).toEqual([{ code: 'no_ranges', group: 0 }]);
    expect(validate(model([{ days: ['Mo'], allDay: false, ranges: [range('09:00', '09:00')] }]))).toEqual([{ code: 'empty_range', group: 0, range: 0 }]);
    expect(validate(model([{ days: ['Mo'], allDay: false, ranges: [range('', '09:00')] }]))).toEqual([{ code: 'bad_time', group: 0, range: 0 }]);
    expect(validate(model([{ days: ['Mo'], allDay: false, ranges: [range('08:00', '12:00'), range('11:00', '14:00')] }]))).toEqual([
      { code: 'overlap', group: 0, range: 1, other: 0 },
    ]);
    // Past midnight: 22:00–06:00 overlaps 23:00–23:30, not 06:00–08:00.
    expect(validate(model([{ days: ['Mo'], allDay: false, ranges: [range('22:00', '06:00'), range('23:00', '23:30')] }]))[0]?.code).toBe('overlap');
    expect(validate(model([{ days: ['Mo'], allDay: false, ranges: [range('22:00', '06:00'), range('06:00', '08:00')] }]))).toEqual([]);
    // Touching ranges are fine; so is anything under 24/7 or an all-day group.
    expect(validate(model([{ days: ['Mo'], allDay: false, ranges: [range('08:00', '12:00'), range('12:00', '14:00')] }]))).toEqual([]);
    expect(validate({ always: true, groups: [], holidaysOff: false })).toEqual([]);
    expect(validate(model([{ days: ['Mo'], allDay: true, ranges: [] }]))).toEqual([]);
  });
});

group('editing', () => {
  it('a day belongs to one group: choosing it in another moves it', () => {
    let m = defaultModel();
    m = addGroup(m);
    expect(m.groups[1]!.days).toEqual([]);
    m = toggleDay(m, 1, 'Su');
    expect(m.groups[0]!.days).not.toContain('Su');
    expect(m.groups[1]!.days).toEqual(['Su']);
    m = toggleDay(m, 1, 'Sa');
    expect(m.groups[1]!.days).toEqual(['Sa', 'Su']);
    m = toggleDay(m, 0, 'Mo');
    expect(closedDays(m)).toEqual(['Mo']);
    expect(addGroup(m).groups[2]!.days).toEqual(['Mo']);
  });

  it('says midnight-crossing ranges', () => {
    expect(crossesMidnight(range('22:00', '06:00'))).toBe(true);
    expect(crossesMidnight(range('08:00', '00:00'))).toBe(true);
    expect(crossesMidnight(range('08:00', '20:00'))).toBe(false);
  });
});

group('describe', () => {
  it('puts the hours in plain words, with 次日 for the next day', () => {
    expect(describe(fromOsm('Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00; PH off')!, 'zh-CN')).toBe('周一至周五 08:00–20:00；周六、周日 10:00–18:00；法定节假日休息');
    expect(describe(fromOsm('Mo-Sa 22:00-06:00')!, 'zh-CN')).toBe('周一至周六 22:00–次日 06:00；周日 休息');
    expect(describe(fromOsm('24/7')!, 'en')).toBe('Open 24 hours');
    expect(describe(fromOsm('Mo-Fr 08:00-20:00; PH off')!, 'en')).toBe('Mon–Fri 08:00–20:00; Sat, Sun closed; closed on public holidays');
  });
});
