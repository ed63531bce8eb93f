// Persons per category over time: a line chart drawn as inline SVG, of the
// exact national figures (invariants) at month ends. Colours come from the
// stylesheet (classes per category), geometry from here. Should a point
// ever come without a value, it is a gap, never a number.

import { cellText } from './cell.js';
import { el, svg } from '/lib/dom.js';
import { CATEGORIES } from './figures.js';
import { dayNumber, formatCount, formatDate, formatMonth } from './format.js';
import { t } from './i18n.js';

const W = 960;
const H = 300;
const M = { left: 40, right: 64, top: 22, bottom: 40 };

/** The smallest round step that gives at most six gridlines up to max. */
function niceStep(max) {
  for (const step of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]) {
    if (max / step <= 6) return step;
  }
  return Math.ceil(max / 6000) * 1000;
}

/** Moves labels apart vertically so none overlaps the next (gap px). */
function spread(labels, gap) {
  labels.sort((a, b) => a.y - b.y);
  for (let i = 1; i < labels.length; i++) {
    labels[i].y = Math.max(labels[i].y, labels[i - 1].y + gap);
  }
  return labels;
}

/**
 * The chart. points: [{ date, threshold, cats: { CTI: cell, … } }] in date
 * order; asOf marks the chosen day when it falls inside the range.
 */
export function renderTrend(points, asOf) {
  const threshold = points[0]?.threshold ?? 5;
  const values = points.flatMap((p) => CATEGORIES.map((c) => p.cats[c].value ?? 0));
  const step = niceStep(Math.max(threshold, ...values));
  const top = Math.ceil(Math.max(threshold, ...values) / step) * step;
  const first = dayNumber(points[0].date);
  const last = dayNumber(points[points.length - 1].date);
  const x = (date) => M.left + ((dayNumber(date) - first) / (last - first)) * (W - M.left - M.right);
  const y = (v) => H - M.bottom - (v / top) * (H - M.top - M.bottom);

  const grid = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(svg('line', { class: 'gridline', x1: M.left, x2: W - M.right, y1: y(v), y2: y(v) }));
    grid.push(svg('text', { class: 'axis', x: M.left - 8, y: y(v) + 4, 'text-anchor': 'end' }, formatCount(v)));
  }
  const xAxis = points.map((p, i) =>
    svg(
      'text',
      { class: 'axis', x: x(p.date), y: H - M.bottom + 18, 'text-anchor': 'middle' },
      formatMonth(p.date),
      i === 0 || p.date.slice(5, 7) === '01' ? svg('tspan', { x: x(p.date), dy: 14, class: 'axis-year' }, p.date.slice(0, 4)) : null,
    ),
  );
  const series = CATEGORIES.map((c) => {
    let d = '';
    let pen = 'M';
    const dots = points.map((p) => {
      const cell = p.cats[c];
      const title = svg('title', {}, `${t(c)}, ${formatDate(p.date)}: ${cellText(cell, threshold)}`);
      const attrs = { 'data-series': c, 'data-date': p.date, 'data-value': cell.suppressed ? '' : cell.value, 'data-suppressed': String(cell.suppressed) };
      if (cell.suppressed) {
        pen = 'M'; // a gap: the line does not pretend to know the value
        return svg('g', attrs, title);
      }
      d += `${pen}${x(p.date).toFixed(1)},${y(cell.value).toFixed(1)} `;
      pen = 'L';
      const hollow = cell.partial ? ' pt-hollow' : '';
      return svg('circle', { class: `pt${hollow} cat-${c}`, cx: x(p.date), cy: y(cell.value), r: 3.5, ...attrs, 'data-partial': cell.partial ? 'true' : null }, title);
    });
    return svg('g', { class: `series cat-${c}` }, svg('path', { class: 'line', d }), dots);
  });

  const end = points[points.length - 1];
  const ends = spread(
    CATEGORIES.filter((c) => !end.cats[c].suppressed).map((c) => ({ c, y: y(end.cats[c].value) + 4 })),
    13,
  ).map((l) => svg('text', { class: `end-label cat-${l.c}`, x: x(end.date) + 9, y: l.y }, formatCount(end.cats[l.c].value)));

  const marker = [];
  if (asOf >= points[0].date && asOf <= end.date) {
    const mx = x(asOf);
    marker.push(svg('line', { class: 'marker', x1: mx, x2: mx, y1: M.top - 6, y2: H - M.bottom }));
    // Anchored away from the edges so that the label stays inside the chart.
    const anchor = mx < M.left + 120 ? 'start' : mx > W - M.right - 120 ? 'end' : 'middle';
    marker.push(svg('text', { class: 'marker-label', x: mx, y: M.top - 10, 'text-anchor': anchor }, `${t('trendMarker')}: ${formatDate(asOf)}`));
  }

  const chart = svg(
    'svg',
    { class: 'trend', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': t('trendTitle') },
    grid,
    xAxis,
    marker,
    series,
    ends,
  );
  return el('div', {}, legend(), chart);
}

function legend() {
  return el(
    'ul',
    { class: 'legend' },
    CATEGORIES.map((c) => el('li', {}, el('span', { class: `swatch cat-${c}` }), t(c))),
  );
}
