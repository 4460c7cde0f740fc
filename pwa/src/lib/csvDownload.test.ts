import { describe, expect, it, vi } from 'vitest';
import { csvFileName, dispositionBase, downloadCsv } from './csvDownload';
import type { SaveEnv } from './download';

const BOM = '\uFEFF';
const period = { from: '2026-11-05', to: '2026-12-04', region: '310106' };

function fakeEnv() {
  const saved: { blob: Blob; name: string }[] = [];
  const urls = new Map<string, Blob>();
  const env: SaveEnv = {
    createObjectURL: (b) => {
      const u = `blob:${urls.size}`;
      urls.set(u, b);
      return u;
    },
    revokeObjectURL: (u) => void urls.delete(u),
    click: (u, name) => saved.push({ blob: urls.get(u)!, name }),
  };
  return { env, saved };
}

describe('CSV download', () => {
  it('names the file after the table, the area and the days', () => {
    expect(dispositionBase('attachment; filename="stations.csv"', 'x')).toBe('stations');
    expect(dispositionBase("attachment; filename*=UTF-8''help-requests.csv", 'x')).toBe('help-requests');
    expect(dispositionBase(null, 'lessons')).toBe('lessons');
    expect(dispositionBase('attachment; filename="../../evil name.csv"', 'x')).toBe('evil-name');
    expect(csvFileName('stations', period)).toBe('warmnew-stations-310106-2026-11-05_2026-12-04.csv');
    expect(csvFileName('overview', { from: '2026-12-01', to: '2026-12-04' })).toBe('warmnew-overview-2026-12-01_2026-12-04.csv');
  });

  it('saves the server bytes unchanged, BOM included', async () => {
    vi.useFakeTimers();
    const { env, saved } = fakeEnv();
    const body = `${BOM}station_id,name\n1,静安寺街道暖新驿站\n`;
    const blob = new Blob([body], { type: 'text/csv' });
    const problem = await downloadCsv(
      async () => ({ ok: true, data: { blob, disposition: 'attachment; filename="stations.csv"' }, response: new Response() }),
      'stations',
      period,
      env,
    );
    expect(problem).toBeNull();
    expect(saved).toHaveLength(1);
    expect(saved[0]!.name).toBe('warmnew-stations-310106-2026-11-05_2026-12-04.csv');
    const bytes = new Uint8Array(await saved[0]!.blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...bytes]).toEqual([...new TextEncoder().encode(body)]);
    vi.runAllTimers();
    vi.useRealTimers();
  });

  it('hands back the problem and saves nothing when the server refuses', async () => {
    const { env, saved } = fakeEnv();
    const refused = { status: 403, code: 'forbidden', title: 'Forbidden', errors: [] };
    const problem = await downloadCsv(async () => ({ ok: false, problem: refused }), 'stations', period, env);
    expect(problem).toEqual(refused);
    expect(saved).toEqual([]);
  });
});
