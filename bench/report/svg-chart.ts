/** A dependency-free log-log line chart as an SVG string. */

export interface Series {
  name: string;
  /** [x, y]; non-finite y values are drawn at the top edge as open markers. */
  points: [number, number][];
  /** Extra points drawn as squares and not joined by the line. */
  marks?: [number, number][];
  dashed?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Small print under the legend. */
  notes?: string[];
  width?: number;
  height?: number;
}

const PALETTE = [
  '#d62728',
  '#1f77b4',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function decades(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e += 1)
    out.push(10 ** e);
  return out;
}

const fmt = (v: number): string => (v >= 1000 ? `${v / 1000}k` : String(v));

export function lineChartSvg(spec: ChartSpec): string {
  const width = spec.width ?? 860;
  const height = spec.height ?? 480;
  const m = { left: 70, right: 230, top: 40, bottom: 55 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const all = spec.series.flatMap((s) => [...s.points, ...(s.marks ?? [])]);
  const xs = all.map((p) => p[0]).filter((v) => v > 0 && Number.isFinite(v));
  const ys = all.map((p) => p[1]).filter((v) => v > 0 && Number.isFinite(v));
  const xTicks = decades(Math.min(...xs, 100), Math.max(...xs, 1000));
  const yTicks = decades(Math.min(...ys, 0.1), Math.max(...ys, 10));
  const [x0, x1] = [Math.log10(xTicks[0] ?? 1), Math.log10(xTicks[xTicks.length - 1] ?? 10)];
  const [y0, y1] = [Math.log10(yTicks[0] ?? 1), Math.log10(yTicks[yTicks.length - 1] ?? 10)];
  const px = (v: number): number => m.left + ((Math.log10(v) - x0) / (x1 - x0 || 1)) * plotW;
  const py = (v: number): number =>
    Number.isFinite(v) ? m.top + plotH - ((Math.log10(v) - y0) / (y1 - y0 || 1)) * plotH : m.top;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${m.left}" y="24" font-size="15" font-weight="bold">${esc(spec.title)}</text>`,
  ];
  for (const t of xTicks) {
    const x = px(t).toFixed(1);
    parts.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + plotH}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x}" y="${m.top + plotH + 18}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of yTicks) {
    const y = py(t).toFixed(1);
    parts.push(
      `<line x1="${m.left}" y1="${y}" x2="${m.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`,
    );
    parts.push(
      `<text x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`,
    );
  }
  parts.push(
    `<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`,
  );
  parts.push(
    `<text x="${m.left + plotW / 2}" y="${height - 14}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(18 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`,
  );
  spec.series.forEach((series, i) => {
    const color = PALETTE[i % PALETTE.length] ?? '#000';
    const pts = series.points.filter((p) => p[0] > 0).sort((a, b) => a[0] - b[0]);
    const path = pts
      .map((p, k) => `${k === 0 ? 'M' : 'L'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`)
      .join(' ');
    if (pts.length > 1)
      parts.push(
        `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${series.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`,
      );
    for (const p of pts) {
      const fill = Number.isFinite(p[1]) ? color : '#fff';
      parts.push(
        `<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="4" fill="${fill}" stroke="${color}" stroke-width="1.5"/>`,
      );
    }
    for (const p of series.marks ?? []) {
      if (!(p[0] > 0)) continue;
      const fill = Number.isFinite(p[1]) ? color : '#fff';
      parts.push(
        `<rect x="${(px(p[0]) - 4).toFixed(1)}" y="${(py(p[1]) - 4).toFixed(1)}" width="8" height="8" fill="${fill}" stroke="${color}" stroke-width="1.5"/>`,
      );
    }
    const ly = m.top + 8 + i * 20;
    const lx = m.left + plotW + 16;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${color}" stroke-width="2"${series.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(
      `<text x="${lx + 30}" y="${ly}" dominant-baseline="middle">${esc(series.name)}</text>`,
    );
  });
  spec.notes?.forEach((note, k, all) => {
    parts.push(
      `<text x="${m.left + plotW + 16}" y="${m.top + plotH - (all.length - 1 - k) * 14}" font-size="10" fill="#555">${esc(note)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
