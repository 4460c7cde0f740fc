// Chart.js, loaded with import() only when the dashboard shows a series: only the parts a
// line chart needs are registered, so the chunk stays small.
import { CategoryScale, Chart, Filler, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Filler);

export interface SeriesData {
  labels: string[];
  /** null: suppressed (a gap in the line). */
  values: (number | null)[];
  label: string;
}

export interface SeriesChart {
  update(d: SeriesData): void;
  destroy(): void;
}

export function drawSeries(canvas: HTMLCanvasElement, d: SeriesData): SeriesChart {
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: d.labels,
      datasets: [
        {
          label: d.label,
          data: d.values,
          borderColor: '#b8460a',
          backgroundColor: 'rgba(232, 89, 12, 0.12)',
          fill: true,
          tension: 0.25,
          pointRadius: d.values.length > 45 ? 0 : 3,
          spanGaps: false,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        y: { beginAtZero: true, ticks: { precision: 0, font: { size: 14 } } },
        x: { ticks: { maxRotation: 0, autoSkip: true, font: { size: 14 } } },
      },
      plugins: { legend: { display: false } },
    },
  });
  return {
    update(next) {
      chart.data.labels = next.labels;
      const ds = chart.data.datasets[0]!;
      ds.data = next.values;
      ds.label = next.label;
      (ds as { pointRadius?: number }).pointRadius = next.values.length > 45 ? 0 : 3;
      chart.update();
    },
    destroy: () => chart.destroy(),
  };
}
