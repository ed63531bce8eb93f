// How one published count looks, everywhere on the page. A suppressed count
// is shown as suppressed, never as 0 or as a number: 0 would be a lie, and
// any number would give away what the server withheld.

import { el } from './dom.js';
import { formatCount } from './format.js';
import { t } from './i18n.js';

/** The data attributes that let a test (or a screen reader) read a cell. */
export function cellAttrs(cell) {
  return {
    'data-value': cell.suppressed ? '' : String(cell.value),
    'data-suppressed': String(Boolean(cell.suppressed)),
    'data-partial': cell.partial ? 'true' : null,
  };
}

/** A cell as plain text, for titles and labels. */
export function cellText(cell, threshold) {
  if (cell.suppressed) return `${t('suppressedShort', { n: threshold - 1 })} ${t('suppressed')}`;
  if (cell.partial) return t('atLeast', { n: formatCount(cell.value) });
  return formatCount(cell.value);
}

/** The visible content of a cell. */
export function cellContent(cell, threshold) {
  if (cell.suppressed) {
    const max = threshold - 1;
    return el(
      'span',
      { class: 'suppressed', title: t('suppressedNote', { n: max }) },
      el('span', { class: 'suppressed-tag' }, t('suppressedShort', { n: max })),
      ' ',
      el('span', { class: 'suppressed-word' }, t('suppressed')),
    );
  }
  if (cell.partial) {
    return el('span', { class: 'partial', title: t('atLeastNote') }, t('atLeast', { n: formatCount(cell.value) }));
  }
  return formatCount(cell.value);
}
