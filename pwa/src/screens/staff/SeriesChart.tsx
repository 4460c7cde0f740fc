// One series as a line chart, with the same numbers as a table: the table shows while Chart.js
// loads (and stays if it cannot load), and can be opened under the chart.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/context';
import { formatCount } from '../../lib/trends';
import type { SeriesChart as Chart, SeriesData } from './lineChart';

type State = 'loading' | 'ready' | 'failed';

export function SeriesChart({ data, caption }: { data: SeriesData; caption: string }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  const [state, setState] = useState<State>('loading');
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    let live = true;
    import('./lineChart').then(
      (m) => {
        if (!live || !canvas.current) return;
        try {
          chart.current = m.drawSeries(canvas.current, latest.current);
          setState('ready');
        } catch {
          setState('failed');
        }
      },
      () => live && setState('failed'),
    );
    return () => {
      live = false;
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.update(data);
  }, [data]);

  return (
    <figure class="db-chart" data-testid="series-chart" data-state={state} data-points={data.values.length}>
      <div class={state === 'ready' ? 'db-chart-canvas' : 'db-chart-canvas db-chart-hidden'}>
        <canvas ref={canvas} role="img" aria-label={caption} />
      </div>
      {state === 'loading' ? <p class="muted small">{t('db_chart_loading')}</p> : null}
      {state === 'failed' ? (
        <p class="muted small" data-testid="series-chart-failed">
          {t('db_chart_failed')}
        </p>
      ) : null}
      {state === 'ready' ? (
        <details class="db-chart-table">
          <summary>{t('db_chart_as_table')}</summary>
          <SeriesTable data={data} caption={caption} />
        </details>
      ) : (
        <SeriesTable data={data} caption={caption} />
      )}
    </figure>
  );
}

function SeriesTable({ data, caption }: { data: SeriesData; caption: string }) {
  const { t, locale } = useI18n();
  return (
    <div class="db-table-wrap db-table-short">
      <table class="db-table" data-testid="series-table">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('db_col_time')}</th>
            <th scope="col" class="num">
              {data.label}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.labels.map((l, i) => (
            <tr key={l + i}>
              <th scope="row">{l}</th>
              <td class="num">{data.values[i] === null ? <span title={t('db_suppressed')}>{formatCount(null, locale)}</span> : formatCount(data.values[i], locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
