import Plotly from 'plotly.js-dist-min';
import { useEffect, useRef } from 'react';
import { useStore } from '../state/store';
import { useServices } from '../workbench/services';

export interface ChartTrace {
  name: string;
  x: (number | string)[];
  y: number[];
  mode?: 'lines' | 'markers' | 'lines+markers';
  /** A colour index into the palette, or a CSS colour. */
  color?: number | string;
  opacity?: number;
  /** Drawn faint behind another trace (a raw series under its smoothed line): the theme says how faint. */
  faint?: boolean;
  width?: number;
  dash?: 'solid' | 'dot' | 'dash';
  showlegend?: boolean;
  /** Per-point data handed to onClick, and hover text. */
  customdata?: unknown[];
  text?: string[];
  markerSize?: number;
  symbol?: string;
}

export interface ChartProps {
  traces: ChartTrace[];
  xTitle: string;
  yTitle: string;
  logY?: boolean;
  /** Same scale on both axes (2-D maps). */
  equal?: boolean;
  onClick?: (customdata: unknown) => void;
  label: string;
  height?: number;
}

/** Distinct colours that read on dark and light backgrounds (Tableau 10). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Plotly reads a subset of HTML in names and hover text; data is text, so its markup characters are escaped. */
function plain(t: string): string {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Several themed traces in one Plotly chart (SVG only: no WebGL under the CSP and headless GPUs). */
export default function Chart({ traces, xTitle, yTitle, logY, equal, onClick, label, height }: ChartProps) {
  const s = useServices();
  const theme = useStore(s.settings.settings)?.theme;
  const el = useRef<HTMLDivElement>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const fg = cssVar('--fg-muted') || '#999';
    const grid = cssVar('--border') || '#444';
    const font = { family: cssVar('--font-ui') || 'system-ui', size: 11, color: fg };
    const faint = Number(cssVar('--chart-faint-opacity')) || 0.5;
    const data = traces.map((t) => {
      const color = typeof t.color === 'string' ? t.color : PALETTE[(t.color ?? 0) % PALETTE.length];
      return {
        type: 'scatter',
        mode: t.mode ?? 'lines',
        name: plain(t.name),
        x: t.x,
        y: t.y,
        opacity: t.opacity ?? (t.faint ? faint : 1),
        showlegend: t.showlegend ?? true,
        customdata: t.customdata,
        text: t.text?.map(plain),
        hovertemplate: t.text ? '%{text}<extra>%{fullData.name}</extra>' : `%{x}: %{y}<extra>%{fullData.name}</extra>`,
        line: { color, width: t.width ?? 1.6, dash: t.dash ?? 'solid' },
        marker: { color, size: t.markerSize ?? 6, symbol: t.symbol ?? 'circle' },
      };
    });
    const axis = { gridcolor: grid, zerolinecolor: grid, linecolor: grid, automargin: true };
    const layout = {
      margin: { l: 52, r: 12, t: 8, b: 40 },
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
      font,
      showlegend: true,
      legend: { orientation: 'h', y: -0.22, font },
      hovermode: 'closest',
      xaxis: { ...axis, title: { text: xTitle, font } },
      yaxis: { ...axis, title: { text: yTitle, font }, type: logY ? 'log' : 'linear', ...(equal ? { scaleanchor: 'x', scaleratio: 1 } : {}) },
      ...(height ? { height } : {}),
    };
    void Plotly.react(node, data, layout, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['select2d', 'lasso2d'] }).then(() => {
      const n = node as unknown as { on?: (ev: string, cb: (e: { points?: { customdata?: unknown }[] }) => void) => void; __pulseClick?: boolean };
      if (n.on && !n.__pulseClick) {
        n.__pulseClick = true;
        n.on('plotly_click', (e) => {
          const p = e.points?.[0];
          if (p && p.customdata !== undefined) clickRef.current?.(p.customdata);
        });
      }
    });
  }, [traces, xTitle, yTitle, logY, equal, theme, height]);
  useEffect(() => {
    const node = el.current;
    return () => {
      if (node) Plotly.purge(node);
    };
  }, []);
  // A figure, not an img: Plotly puts buttons (mode bar, legend) inside, and an img may hold nothing interactive.
  return <div ref={el} className="plot chart" role="figure" aria-label={label} />;
}
