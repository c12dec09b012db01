import Plotly from 'plotly.js-dist-min';
import { useEffect, useRef } from 'react';
import { useStore } from '../state/store';
import { useServices } from '../workbench/services';

export interface PlotProps {
  kind: 'bar' | 'line';
  x: (number | string)[];
  y: number[];
  xTitle: string;
  yTitle: string;
  logY?: boolean;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** 1, 2, 5, 10, 20, 50 … up to `max`: readable log-axis labels (Plotly's defaults crowd small ranges). */
function logTicks(max: number): number[] {
  const out: number[] = [];
  for (let p = 1; p <= max * 10; p *= 10) for (const m of [1, 2, 5]) if (p * m <= max * 1.5) out.push(p * m);
  return out;
}

/** A small themed Plotly chart (SVG traces only: no WebGL, which the CSP and headless GPUs dislike). */
export default function Plot({ kind, x, y, xTitle, yTitle, logY }: PlotProps) {
  const s = useServices();
  const theme = useStore(s.settings.settings)?.theme;
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const fg = cssVar('--fg-muted') || '#999';
    const grid = cssVar('--border') || '#444';
    const accent = cssVar('--accent') || '#0a84ff';
    const font = { family: cssVar('--font-ui') || 'system-ui', size: 11, color: fg };
    const trace =
      kind === 'bar'
        ? { type: 'bar', x, y, marker: { color: accent }, hovertemplate: '%{x}: %{y}<extra></extra>' }
        : {
            type: 'scatter',
            mode: 'lines',
            x,
            y,
            line: { color: accent, width: 1.5 },
            fill: 'tozeroy',
            fillcolor: accent + '33',
            hovertemplate: 'rank %{x}: %{y}<extra></extra>',
          };
    const layout = {
      margin: { l: 48, r: 12, t: 8, b: 40 },
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
      font,
      bargap: 0.08,
      xaxis: {
        title: { text: xTitle, font },
        gridcolor: grid,
        zerolinecolor: grid,
        linecolor: grid,
        automargin: true,
        type: kind === 'bar' ? 'category' : 'linear',
      },
      yaxis: {
        title: { text: yTitle, font },
        gridcolor: grid,
        zerolinecolor: grid,
        linecolor: grid,
        type: logY ? 'log' : 'linear',
        automargin: true,
        ...(logY ? { tickvals: logTicks(Math.max(1, ...y)) } : {}),
      },
    };
    void Plotly.react(node, [trace], layout, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['select2d', 'lasso2d'] });
    return undefined;
  }, [kind, x, y, xTitle, yTitle, logY, theme]);
  useEffect(() => {
    const node = el.current;
    return () => {
      if (node) Plotly.purge(node);
    };
  }, []);
  // A figure, not an img: Plotly puts focusable controls (its mode bar) inside, which an img may not hold.
  return <div ref={el} className="plot" role="figure" aria-label={`${yTitle} by ${xTitle}`} />;
}
