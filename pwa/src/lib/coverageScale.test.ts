import { describe, expect, it } from 'vitest';
import { bandOf, legendStops, minutesColour, NO_STATION } from './coverageScale';

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

describe('coverage colour scale', () => {
  it('is green inside the circle and red-orange beyond it', () => {
    for (const m of [0, 3, 7.5, 15]) {
      const [r, g] = rgb(minutesColour(m, 15));
      expect(g, `${m} min`).toBeGreaterThan(r);
    }
    for (const m of [15.1, 20, 30, 90]) {
      const [r, g] = rgb(minutesColour(m, 15));
      expect(r, `${m} min`).toBeGreaterThan(g);
    }
  });

  it('darkens green towards the station and reddens with distance past the limit', () => {
    const green = (m: number) => rgb(minutesColour(m, 15))[1];
    expect(green(0)).toBeLessThan(green(10));
    const redness = (m: number) => {
      const [r, g] = rgb(minutesColour(m, 15));
      return r - g;
    };
    expect(redness(16)).toBeLessThan(redness(25));
    expect(minutesColour(30, 15)).toBe(minutesColour(300, 15));
  });

  it('follows the chosen limit', () => {
    expect(bandOf(12, 15)).toBe('within');
    expect(bandOf(12, 10)).toBe('over');
    expect(rgb(minutesColour(12, 10))[0]).toBeGreaterThan(rgb(minutesColour(12, 10))[1]);
  });

  it('marks cells with no station within reach', () => {
    expect(minutesColour(null, 15)).toBe(NO_STATION);
    expect(bandOf(null, 15)).toBe('none');
    expect(minutesColour(Number.NaN, 15)).toBe(NO_STATION);
  });

  it('has a legend from 0 to twice the limit, then none', () => {
    const stops = legendStops(15);
    expect(stops.map((s) => s.minutes)).toEqual([0, 8, 15, 23, 30, null]);
    expect(stops.at(-1)!.colour).toBe(NO_STATION);
    expect(stops[0]!.colour).toMatch(/^#[0-9a-f]{6}$/);
  });
});
