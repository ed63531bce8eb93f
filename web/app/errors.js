// Errors in words: the user's language from extensions.code, the field the
// API named (extensions.field) highlighted in the form, and the code and the
// server's message for whoever helps.

import { el } from '/lib/dom.js';
import { fieldName, t } from './i18n.js';

// Fields the API may name that no one can correct in the form: the version
// the page was drawn with and the key the form sends. A CONFLICT on either
// is answered by reloading, not by editing.
const NOT_THE_USERS = new Set(['expectedVersion', 'idempotencyKey']);

/** Whether a field the API named is one the user fills in. */
function usersField(field) {
  return Boolean(field) && !NOT_THE_USERS.has(field.replace(/^input\./, ''));
}

/** A readable error box; a CONFLICT offers reload, when given, to show what changed. */
export function renderError(error, reload = null) {
  const code = error.code ?? 'INTERNAL';
  const texts = t('errors');
  return el(
    'div',
    { class: 'error', role: 'alert', 'data-error-code': code },
    el('p', {}, el('strong', {}, texts[code] ?? texts.default)),
    usersField(error.field) ? el('p', {}, t('errorField', { field: fieldName(error.field) })) : null,
    code === 'CONFLICT' && reload ? reloadButton(reload) : null,
    el('p', { class: 'small' }, el('code', {}, code), error.message && error.message !== code ? ` · ${t('serverSaid', { m: error.message })}` : ''),
  );
}

/** The button that loads the view again. */
export function reloadButton(reload) {
  return el('button', { type: 'button', 'data-reload': '', onclick: () => reload() }, t('reload'));
}

/**
 * Marks the form control the API named as invalid and moves focus to it.
 * The field is the input's name (e.g. "cpr" or "input.cpr"); a list entry
 * such as "sharedDetails[1].kind" marks the control named by its head.
 */
export function highlightField(form, field) {
  for (const c of form.querySelectorAll('[aria-invalid="true"]')) c.removeAttribute('aria-invalid');
  if (!usersField(field)) return;
  const head = field.replace(/^input\./, '').split(/[.[]/)[0];
  const control = form.querySelector(`[name="${CSS.escape(head)}"]`);
  if (!control) return;
  control.setAttribute('aria-invalid', 'true');
  const group = control.closest('fieldset, .field');
  group?.classList.add('invalid');
  control.focus();
}
