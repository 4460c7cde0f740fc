import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../lib/storage';
import { parseLiveEvent } from './live';
import { detailKey, rememberDetail } from './store';

describe('live events', () => {
  it('reads help_request frames and resync; ignores anything else', () => {
    const data = '{"request_id":"r1","kind":"status_changed","status":"accepted","tier":"station","at":"2026-03-05T12:00:00Z"}';
    expect(parseLiveEvent({ event: 'help_request', data, id: 'e1' })).toEqual({
      request_id: 'r1',
      kind: 'status_changed',
      status: 'accepted',
      tier: 'station',
      at: '2026-03-05T12:00:00Z',
    });
    expect(parseLiveEvent({ event: 'resync', data: '{}', id: '' })).toBe('resync');
    expect(parseLiveEvent({ event: 'help_request', data: 'not json', id: '' })).toBeNull();
    expect(parseLiveEvent({ event: 'help_request', data: '{"kind":"x"}', id: '' })).toBeNull();
    expect(parseLiveEvent({ event: 'message', data, id: '' })).toBeNull();
  });
});

describe('offline copies of details', () => {
  it('keeps the 20 most recently opened and drops the rest', () => {
    const s = memoryStore();
    for (let i = 0; i < 25; i++) {
      s.setItem(detailKey('u', `r${i}`), '{}');
      rememberDetail('u', `r${i}`, s);
    }
    rememberDetail('u', 'r5', s); // opened again: kept as the newest
    expect(s.getItem(detailKey('u', 'r4'))).toBeNull();
    expect(s.getItem(detailKey('u', 'r5'))).toBe('{}');
    expect(s.getItem(detailKey('u', 'r24'))).toBe('{}');
    const index = JSON.parse(s.getItem('warmnew.help.detail-index.u')!) as string[];
    expect(index).toHaveLength(20);
    expect(index[0]).toBe('r5');
    expect([...s.data.keys()].filter((k) => k.startsWith('warmnew.help.detail.u.'))).toHaveLength(20);
  });
});

describe('timeline entries in the reader’s language', () => {
  const base = { at: '2026-03-05T12:00:00Z', actor_role: 'system', from_status: null, to_status: null, note: null } as const;
  it('says what the system did from its data, never from a note', async () => {
    await import('../../i18n/help');
    const { translator } = await import('../../i18n');
    const { eventText } = await import('./parts');
    const zh = translator('zh-CN');
    const en = translator('en');
    const breach = { ...base, kind: 'sla_breached', tier: 'station', step: 'accept', due_at: '2026-03-05T11:30:00Z' } as const;
    const up = { ...base, kind: 'escalated', tier: 'street', from_tier: 'station' } as const;
    expect(eventText(breach, zh)).toBe('超过受理时限');
    expect(eventText({ ...breach, step: 'resolve' }, en)).toBe('Deadline to resolve missed');
    expect(eventText(up, zh)).toBe('从驿站升级到街道处理');
    expect(eventText(up, en)).toBe('Escalated from Station to Street');
    // An entry from before the data was kept still reads in the language.
    expect(eventText({ ...base, kind: 'sla_breached', tier: 'city' }, zh)).toBe('超过处理时限');
  });
});
