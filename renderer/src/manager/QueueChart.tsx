import {
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Title,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from 'chart.js';
import { useMemo } from 'react';
import { Line } from 'react-chartjs-2';
import { useTranslation } from '../i18n/use-translation';
import { chartSeries, readMetrics } from '../sync/metrics';

ChartJS.register(CategoryScale, LinearScale, PointElement, LineElement, Title, Tooltip, Legend);

/** The queue's depth and sync latency over the last hours, in 5-minute buckets (Chart.js). */
export function QueueChart({
  metricsValue,
  locale,
  now,
}: {
  metricsValue: unknown;
  locale: string;
  now: number;
}) {
  const { t } = useTranslation();
  const series = useMemo(() => chartSeries(readMetrics(metricsValue), now), [metricsValue, now]);
  const hm = useMemo(
    () => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }),
    [locale],
  );
  const empty = series.depth.every((d) => d === null);

  const data: ChartData<'line', (number | null)[], string> = {
    labels: series.labels.map((ms) => hm.format(new Date(ms))),
    datasets: [
      {
        label: t('manager.chartDepth'),
        data: series.depth,
        borderColor: '#b45309',
        backgroundColor: '#b45309',
        yAxisID: 'depth',
        spanGaps: false,
        pointRadius: 2, // a lone 5-minute bucket between gaps must still show
        stepped: true,
      },
      {
        label: t('manager.chartLatency'),
        data: series.meanLatencyMs,
        borderColor: '#1d4ed8',
        backgroundColor: '#1d4ed8',
        yAxisID: 'latency',
        spanGaps: false,
        pointRadius: 2, // a lone 5-minute bucket between gaps must still show
      },
    ],
  };
  const options: ChartOptions<'line'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: { title: { display: false }, legend: { position: 'bottom' } },
    scales: {
      x: { ticks: { maxTicksLimit: 12, autoSkip: true } },
      depth: {
        type: 'linear',
        position: 'left',
        beginAtZero: true,
        ticks: { precision: 0 },
        title: { display: true, text: t('manager.chartDepth') },
      },
      latency: {
        type: 'linear',
        position: 'right',
        beginAtZero: true,
        grid: { drawOnChartArea: false },
        title: { display: true, text: t('manager.chartLatency') },
      },
    },
  };

  return (
    <figure className="manager-chart" aria-labelledby="manager-chart-title">
      <figcaption id="manager-chart-title">{t('manager.chartTitle')}</figcaption>
      {empty ? (
        <p className="muted">{t('manager.chartEmpty')}</p>
      ) : (
        <div className="manager-chart-canvas">
          <Line data={data} options={options} aria-label={t('manager.chartTitle')} role="img" />
        </div>
      )}
    </figure>
  );
}
