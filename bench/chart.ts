/**
 * A hand-written SVG bar chart (no chart library): one horizontal bar per variant, the cold-start median,
 * with a whisker from p10 to p90, and the init part (spawn to first GET /next) drawn inside it.
 */
export interface Bar {
  group: string;
  label: string;
  /** Median spawn -> first response. */
  median: number;
  p10: number;
  p90: number;
  /** Median spawn -> first GET /next. */
  init: number;
  color: string;
}

const legend = 'dark: spawn to first GET /next (init); light: spawn to first response; whisker: p10 to p90';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function barChart(
  title: string,
  subtitle: string,
  bars: readonly Bar[],
  notes: readonly string[] = [],
): string {
  const left = 190;
  const right = 90;
  const plotWidth = 560;
  const row = 30;
  const groupGap = 14;
  const top = 62;
  const groups = [...new Set(bars.map((b) => b.group))];
  const footnotes = [...notes.flatMap((n) => wrap(n, 130)), legend];
  const plotBottom = top + bars.length * row + groups.length * groupGap;
  const height = plotBottom + 44 + footnotes.length * 15;
  const width = left + plotWidth + right;
  const max = niceMax(Math.max(...bars.map((b) => b.p90), 1));
  const x = (v: number) => Math.round((left + (v / max) * plotWidth) * 10) / 10;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="${left}" y="40" fill="#555">${esc(subtitle)}</text>`,
  );
  const ticks = 5;
  for (let i = 0; i <= ticks; i++) {
    const v = (max / ticks) * i;
    out.push(
      `<line x1="${x(v)}" y1="${top - 6}" x2="${x(v)}" y2="${plotBottom}" stroke="#e3e3e3"/>`,
      `<text x="${x(v)}" y="${plotBottom + 16}" text-anchor="middle" fill="#555">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`,
    );
  }
  out.push(
    `<text x="${left + plotWidth / 2}" y="${plotBottom + 32}" text-anchor="middle" fill="#333">milliseconds</text>`,
  );
  let y = top;
  for (const group of groups) {
    out.push(`<text x="8" y="${y + 4}" font-weight="bold" fill="#333">${esc(group)}</text>`);
    y += groupGap;
    for (const bar of bars.filter((b) => b.group === group)) {
      const mid = y + row / 2 - 4;
      out.push(
        `<text x="${left - 8}" y="${mid + 4}" text-anchor="end">${esc(bar.label)}</text>`,
        `<rect x="${left}" y="${mid - 9}" width="${(x(bar.median) - left).toFixed(1)}" height="18" fill="${bar.color}" fill-opacity="0.45"/>`,
        `<rect x="${left}" y="${mid - 9}" width="${(x(bar.init) - left).toFixed(1)}" height="18" fill="${bar.color}"/>`,
        `<line x1="${x(bar.p10)}" y1="${mid}" x2="${x(bar.p90)}" y2="${mid}" stroke="#222"/>`,
        `<line x1="${x(bar.p10)}" y1="${mid - 5}" x2="${x(bar.p10)}" y2="${mid + 5}" stroke="#222"/>`,
        `<line x1="${x(bar.p90)}" y1="${mid - 5}" x2="${x(bar.p90)}" y2="${mid + 5}" stroke="#222"/>`,
        `<text x="${x(Math.max(bar.p90, bar.median)) + 6}" y="${mid + 4}" fill="#222">${fmt(bar.median)} ms</text>`,
      );
      y += row;
    }
  }
  footnotes.forEach((line, i) =>
    out.push(`<text x="8" y="${plotBottom + 50 + i * 15}" fill="#555" font-size="11">${esc(line)}</text>`),
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Greedy word wrap: SVG text does not wrap by itself. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function niceMax(v: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= v) return step * magnitude;
  return 10 * magnitude;
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
