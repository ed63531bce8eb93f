// Persons per municipality, from a monthly release: one small bar chart
// per municipality, on a shared scale. A cell under the threshold has no
// bar and reads "under 5": it is drawn as no number at all.

import { cellAttrs, cellContent } from './cell.js';
import { el } from '/lib/dom.js';
import { byMunicipality } from './figures.js';
import { t } from './i18n.js';

const EMPTY = { value: 0, suppressed: false };

/** The bars for a day's statistics grouped by MUNICIPALITY. */
export function renderMunicipalities(statistics) {
  const { threshold } = statistics;
  const { municipalities, keys } = byMunicipality(statistics.categories);
  if (municipalities.length === 0) return el('p', { class: 'muted' }, t('noData'));
  const published = municipalities.flatMap((m) => Object.values(m.cells).filter((c) => !c.suppressed).map((c) => c.value));
  const max = Math.max(threshold, ...published);
  const width = (v) => `${((v / max) * 100).toFixed(2)}%`;

  return el(
    'div',
    { class: 'munis' },
    municipalities.map((m) =>
      el(
        'section',
        { class: 'muni', 'data-muni-card': m.code },
        el('h3', {}, m.name, ' ', el('span', { class: 'muted code' }, m.code)),
        el(
          'ul',
          { class: 'bars' },
          keys.map((key) => {
            const cell = m.cells[key] ?? EMPTY;
            const bar = el('span', { class: cell.suppressed ? 'bar bar-under' : `bar cat-${key.split('/')[0]} key-${key.replaceAll('/', '-')}` });
            // Set through the CSSOM: the page's policy allows no inline style attribute.
            bar.style.width = cell.suppressed ? '0' : width(cell.value);
            return el(
              'li',
              { class: 'bar-row', 'data-muni': m.code, 'data-category': key, ...cellAttrs(cell) },
              el('span', { class: 'bar-label' }, t(`short_${key.replaceAll('/', '_')}`)),
              el('span', { class: 'bar-track' }, bar),
              el('span', { class: 'bar-value num' }, cellContent(cell, threshold)),
            );
          }),
        ),
      ),
    ),
  );
}
