// The minister's table: persons helped by category as of a day.

import { cellAttrs, cellContent } from './cell.js';
import { el } from '/lib/dom.js';
import { tableLines } from './figures.js';
import { t } from './i18n.js';

/** The table for one day's national statistics. */
export function renderTable(statistics) {
  const { threshold } = statistics;
  const body = tableLines(statistics.categories).map((line) =>
    el(
      'tr',
      { class: `level-${line.level}` },
      el('th', { scope: 'row' }, line.labels.map((k) => t(k))),
      el('td', { class: 'num', 'data-figure': line.key, ...cellAttrs(line.cell) }, cellContent(line.cell, threshold)),
    ),
  );
  const total = statistics.personsHelped;
  const table = el(
    'table',
    { class: 'figures' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('colCategory')), el('th', { scope: 'col', class: 'num' }, t('colPersons')))),
    el('tbody', {}, body),
    el(
      'tfoot',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, t('personsHelped')),
        el(
          'td',
          { class: 'num', 'data-figure': 'personsHelped', ...cellAttrs(total) },
          cellContent(total, threshold),
        ),
      ),
    ),
  );
  return el('div', {}, table, el('p', { class: 'note muted' }, t('countingRule')));
}
