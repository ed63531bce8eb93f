// Errors as an analyst reads them: what happened in words, the API's code
// for whoever helps, and the server's own message.

import { el } from '/lib/dom.js';
import { entry, t } from './i18n.js';

/** A readable error box for an ApiError (or any Error); a refused value names its field (extensions.field). */
export function renderError(error) {
  const code = error.code ?? 'INTERNAL';
  const titles = entry('errorTitle');
  const texts = entry('errorText');
  return el(
    'div',
    { class: 'error', role: 'alert', 'data-error-code': code, 'data-error-field': error.field ?? null },
    el('strong', {}, titles[code] ?? titles.default),
    ' ',
    el('code', {}, code),
    el('p', {}, texts[code] ?? texts.default),
    error.field ? el('p', {}, t('errorField', { field: fieldName(error.field) })) : null,
    error.message && error.message !== code ? el('p', { class: 'muted' }, t('serverSaid', { m: error.message })) : null,
  );
}

/** The words for a field the API named, e.g. asOf: the date control's label. */
function fieldName(field) {
  const name = field.replace(/^input\./, '');
  return entry('fields')[name] ?? name;
}
