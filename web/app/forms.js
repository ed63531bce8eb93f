// Form building blocks: every control has a visible label tied to it, help
// text tied by aria-describedby, and a form reports errors in words next to
// its button, with the field the API named highlighted and focused.

import { copenhagenDay } from '/lib/days.js';
import { el, replace, uid } from '/lib/dom.js';
import { highlightField, renderError } from './errors.js';
import { t } from './i18n.js';

function described(help, id) {
  return help ? el('p', { class: 'help', id }, help) : null;
}

/** A labelled input (or textarea with type 'textarea'). */
export function input({ name, label, type = 'text', value = '', help, attrs = {} }) {
  const id = uid(name);
  const helpId = help ? `${id}-help` : null;
  const common = { id, name, 'aria-describedby': helpId, ...attrs };
  const control = type === 'textarea' ? el('textarea', { ...common, rows: 3 }, value) : el('input', { ...common, type, value });
  return el('div', { class: 'field' }, el('label', { for: id }, label), control, described(help, helpId));
}

/** A labelled select of [value, text] pairs. */
export function select({ name, label, options, value = '', attrs = {} }) {
  const id = uid(name);
  const opts = options.map(([v, text]) => el('option', { value: v, selected: v === value }, text));
  return el('div', { class: 'field' }, el('label', { for: id }, label), el('select', { id, name, ...attrs }, opts));
}

/** A group of checkboxes under a legend. */
export function checkboxes({ name, legend, options, checked = [] }) {
  return el(
    'fieldset',
    { class: 'field checks' },
    el('legend', {}, legend),
    options.map(([v, text]) => {
      const id = uid(name);
      return el('div', { class: 'check' }, el('input', { type: 'checkbox', id, name, value: v, checked: checked.includes(v) }), el('label', { for: id }, text));
    }),
  );
}

/** One checkbox with its label. */
export function checkbox({ name, label, checked = false }) {
  const id = uid(name);
  return el('div', { class: 'field check' }, el('input', { type: 'checkbox', id, name, value: 'yes', checked }), el('label', { for: id }, label));
}

/** The values of a form: checkbox groups as arrays, a lone checkbox as a boolean. */
export function values(form) {
  const out = {};
  for (const c of form.elements) {
    if (!c.name || c.disabled) continue;
    if (c.type === 'checkbox') {
      const group = form.querySelectorAll(`input[type=checkbox][name="${CSS.escape(c.name)}"]`).length > 1 || c.value !== 'yes';
      if (group) (out[c.name] ??= []).push(...(c.checked ? [c.value] : []));
      else out[c.name] = c.checked;
    } else out[c.name] = c.value.trim();
  }
  return out;
}

/** A client-side refusal shown like the API's own, before anything is sent. */
export class FormError extends Error {
  constructor(field, message) {
    super(message);
    this.code = 'BAD_USER_INPUT';
    this.field = field;
    this.local = true;
  }
}

/**
 * A new idempotency key. crypto.randomUUID exists only in a secure context
 * (https, or the loopback); an app served over plain http elsewhere still
 * gets 122 random bits from getRandomValues, which every context has.
 */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A form that calls onSubmit(values, form, key) and shows what went wrong
 * in words; while the request runs the button is marked busy and a second
 * submit is ignored.
 *
 * A form that creates (creates: true) holds one idempotency key, in
 * data-idempotency-key, which onSubmit sends: submitted again after a lost
 * answer or a refusal the same form names the same write, and the hub
 * creates nothing twice. After a success the form is for a new write and
 * gets a new key. A CONFLICT is answered with a button that runs reload,
 * when given, to show what changed.
 */
export function form({ name, title, children, submit, onSubmit, level = 'h3', creates = false, reload = null }) {
  const status = el('div', { class: 'form-status', 'aria-live': 'polite' });
  const button = el('button', { type: 'submit' }, submit);
  const f = el('form', { 'data-form': name, novalidate: true, class: 'form', 'data-idempotency-key': creates ? newKey() : null }, title ? el(level, {}, title) : null, children, el('div', { class: 'buttons' }, button), status);
  let busy = false;
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    // aria-disabled, not disabled: a disabled button loses focus, and the
    // keyboard user's place with it.
    button.setAttribute('aria-disabled', 'true');
    replace(status);
    try {
      await onSubmit(values(f), f, f.dataset.idempotencyKey);
      if (creates) f.dataset.idempotencyKey = newKey();
    } catch (err) {
      replace(status, err.local ? el('div', { class: 'error', role: 'alert', 'data-error-code': err.code }, el('p', {}, el('strong', {}, err.message))) : renderError(err, reload));
      highlightField(f, err.field);
    } finally {
      busy = false;
      button.removeAttribute('aria-disabled');
    }
  });
  f.addEventListener('input', (e) => {
    if (e.target.getAttribute('aria-invalid') === 'true') {
      e.target.removeAttribute('aria-invalid');
      e.target.closest('.invalid')?.classList.remove('invalid');
    }
  });
  return f;
}

/** Today in Copenhagen, the day the hub checks dates against. */
export function today() {
  return copenhagenDay();
}

/** Throws a FormError unless the value is filled. */
export function need(v, field) {
  if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) throw new FormError(field, Array.isArray(v) ? t('chooseOne') : t('required'));
  return v;
}

/**
 * What the user has entered in the forms under root, with each form's
 * idempotency key, to put back after the view is drawn again (a change of
 * language redraws every text). Forms are told apart by data-form and
 * order, controls by name, value (a checkbox) and order.
 */
export function formState(root) {
  return [...root.querySelectorAll('form[data-form]')].map((f) => ({
    name: f.dataset.form,
    key: f.dataset.idempotencyKey ?? null,
    controls: [...f.elements].filter((c) => c.name).map((c) => ({ id: controlId(c), value: c.value, checked: c.checked })),
  }));
}

/** Puts back what formState took, into the forms now under root. */
export function restoreFormState(root, saved) {
  const forms = [...root.querySelectorAll('form[data-form]')];
  const seen = {};
  for (const s of saved) {
    const nth = (seen[s.name] = (seen[s.name] ?? -1) + 1);
    const f = forms.filter((g) => g.dataset.form === s.name)[nth];
    if (!f) continue;
    if (s.key) f.dataset.idempotencyKey = s.key;
    // Choices first, with the change events that draw the controls they
    // govern (the consent's shared details, the CPR field of an anonymous
    // citizen); then the typed values, into the controls as now drawn.
    restoreControls(f, s.controls, (c) => c.type === 'checkbox' || c.tagName === 'SELECT');
    restoreControls(f, s.controls, (c) => c.type !== 'checkbox' && c.tagName !== 'SELECT');
  }
}

function restoreControls(f, saved, which) {
  const byId = new Map(saved.map((s) => [s.id, s]));
  for (const c of [...f.elements].filter((x) => x.name && which(x))) {
    const s = byId.get(controlId(c));
    if (!s) continue;
    const changed = c.type === 'checkbox' ? c.checked !== s.checked : c.value !== s.value;
    if (!changed) continue;
    if (c.type === 'checkbox') c.checked = s.checked;
    else c.value = s.value;
    c.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

/** A control's name, its value when it is a checkbox, and its place among those alike. */
function controlId(c) {
  const alike = [...c.form.elements].filter((x) => x.name === c.name && (c.type !== 'checkbox' || x.value === c.value));
  return `${c.name}|${c.type === 'checkbox' ? c.value : ''}|${alike.indexOf(c)}`;
}
