// How one published count looks, everywhere on the page. A release cell
// whose noisy value is under the threshold reads "under 5" (the configured
// threshold): never 0, never a number, never "≤4", since the true count
// may be 0 or more than 4.

import { el } from '/lib/dom.js';
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
  if (cell.suppressed) return t('underThreshold', { n: threshold });
  if (cell.partial) return t('atLeast', { n: formatCount(cell.value) });
  return formatCount(cell.value);
}

/** The visible content of a cell. */
export function cellContent(cell, threshold) {
  if (cell.suppressed) {
    return el('span', { class: 'suppressed', title: t('underThresholdNote', { n: threshold }) }, t('underThreshold', { n: threshold }));
  }
  if (cell.partial) {
    return el('span', { class: 'partial', title: t('atLeastNote') }, t('atLeast', { n: formatCount(cell.value) }));
  }
  return formatCount(cell.value);
}
