// Errors in words: the user's language from extensions.code, the field the
// API named (extensions.field) highlighted in the form, and the code and the
// server's message for whoever helps.

import { el } from '/lib/dom.js';
import { fieldName, t } from './i18n.js';

/** A readable error box. */
export function renderError(error) {
  const code = error.code ?? 'INTERNAL';
  const texts = t('errors');
  return el(
    'div',
    { class: 'error', role: 'alert', 'data-error-code': code },
    el('p', {}, el('strong', {}, code === 'CONFLICT' ? t('stale') : texts[code] ?? texts.default)),
    error.field ? el('p', {}, t('errorField', { field: fieldName(error.field) })) : null,
    el('p', { class: 'small' }, el('code', {}, code), error.message && error.message !== code ? ` · ${t('serverSaid', { m: error.message })}` : ''),
  );
}

/**
 * Marks the form control the API named as invalid and moves focus to it.
 * The field is the input's name (e.g. "cpr" or "input.cpr"); a list entry
 * such as "sharedDetails[1].kind" marks the control named by its head.
 */
export function highlightField(form, field) {
  for (const c of form.querySelectorAll('[aria-invalid="true"]')) c.removeAttribute('aria-invalid');
  if (!field) return;
  const head = field.replace(/^input\./, '').split(/[.[]/)[0];
  const control = form.querySelector(`[name="${CSS.escape(head)}"]`);
  if (!control) return;
  control.setAttribute('aria-invalid', 'true');
  const group = control.closest('fieldset, .field');
  group?.classList.add('invalid');
  control.focus();
}
