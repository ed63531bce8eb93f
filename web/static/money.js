// The programme's money as of a day: frame, granted, disbursed and not
// granted, a bar of the frame, and the same per budget line. Every amount is
// formatted from the API's exact decimal string (see format.js).

import { el } from '/lib/dom.js';
import { formatKroner, formatMio, formatMioNumber, formatPercent, moneyShare } from './format.js';
import { t } from './i18n.js';

const TILES = ['granted', 'disbursed', 'notGranted'];

/** An amount in millions, with the exact amount as its tooltip. */
function amount(kind, value, attrs) {
  return el('span', { ...attrs, 'data-amount': value, title: formatKroner(value) }, kind === 'unitless' ? formatMioNumber(value) : formatMio(value));
}

/** The funding panel for programme { name frame funding { … } }. */
export function renderMoney(programme) {
  if (!programme) return el('p', { class: 'muted' }, t('noData'));
  const f = programme.funding;
  const tiles = el(
    'div',
    { class: 'tiles' },
    TILES.map((k) =>
      el(
        'div',
        { class: `tile tile-${k}` },
        el('div', { class: 'tile-label' }, t(k)),
        el('div', { class: 'tile-value' }, amount('mio', f[k], { 'data-money': k })),
        el('div', { class: 'tile-note muted' }, t('ofFrame', { p: formatPercent(moneyShare(f[k], f.frame)) })),
      ),
    ),
  );
  return el('div', {}, tiles, frameBar(f), lines(f.byBudgetLine));
}

/** The frame, and as one bar: disbursed, granted but not paid, not granted. */
function frameBar(f) {
  const head = el('div', { class: 'frame-head' }, el('span', { class: 'tile-label' }, t('frame')), amount('mio', f.frame, { 'data-money': 'frame' }));
  const disbursed = moneyShare(f.disbursed, f.frame);
  const granted = moneyShare(f.granted, f.frame);
  const parts = [
    ['disbursed', disbursed],
    ['grantedNotPaid', Math.max(0, granted - disbursed)],
    ['notGranted', Math.max(0, 1 - granted)],
  ];
  const bar = el(
    'div',
    { class: 'frame-bar', role: 'img', 'aria-label': t('frame') },
    parts.map(([k, share]) => {
      const part = el('span', { class: `frame-part part-${k}`, title: `${t(k)}: ${formatPercent(share)}` });
      part.style.width = `${(share * 100).toFixed(2)}%`;
      return part;
    }),
  );
  const legend = el(
    'ul',
    { class: 'legend legend-small' },
    parts.map(([k]) => el('li', {}, el('span', { class: `swatch part-${k}` }), t(k))),
  );
  return el('div', { class: 'frame' }, head, bar, legend);
}

/** Budget lines: earmark, granted, disbursed, not granted, in millions. */
function lines(byBudgetLine) {
  const cols = ['earmark', 'granted', 'disbursed', 'notGranted'];
  return el(
    'table',
    { class: 'figures lines' },
    el(
      'thead',
      {},
      el('tr', {}, el('th', { scope: 'col' }, t('budgetLine')), cols.map((c) => el('th', { scope: 'col', class: 'num' }, t(c)))),
      el('tr', { class: 'unit' }, el('th'), cols.map(() => el('th', { class: 'num muted' }, t('inMio')))),
    ),
    el(
      'tbody',
      {},
      byBudgetLine.map((l) =>
        el(
          'tr',
          { 'data-line': l.budgetLine.code },
          el('th', { scope: 'row' }, l.budgetLine.name),
          cols.map((c) =>
            el('td', { class: 'num' }, amount('unitless', c === 'earmark' ? l.budgetLine.earmark : l[c], { 'data-line-money': c })),
          ),
        ),
      ),
    ),
  );
}
