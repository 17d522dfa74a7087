/** Findings by severity over time (recharts; its own chunk, loaded lazily by the overview). */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { SEVERITIES, type Overview } from '../api';

const COLOURS: Record<string, string> = {
  critical: '#9b1c1c',
  high: '#b23a0a',
  medium: '#7a4a05',
  low: '#1d4ed8',
  unknown: '#4b5563',
};

export default function SeverityChart({ series }: { series: Overview['series'] }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={series} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="date" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        {SEVERITIES.map((s) => (
          <Line
            key={s}
            type="stepAfter"
            dataKey={s}
            stroke={COLOURS[s]}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
