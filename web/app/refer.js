// Referring a citizen to an NGO. The caseworker picks one of the citizen's
// consents that holds today; the NGO is the consent's, and the form offers a
// field only for each kind of detail that consent covers.

import { el, replace } from '/lib/dom.js';
import { renderError } from './errors.js';
import { checkboxes, form, input, need, select } from './forms.js';
import { label, t, values } from './i18n.js';
import { call } from './session.js';
import { holds } from './citizen.js';

const CREATE = `mutation Refer($input: CreateReferralInput!) { createReferral(input: $input) { id } }`;

export function renderRefer({ citizen: c }, go, reload) {
  if (!c) return [el('h1', {}, t('refer')), renderError({ code: 'NOT_FOUND' })];
  const valid = c.consents.filter(holds);
  const back = el('p', {}, el('a', { href: `#/citizen/${encodeURIComponent(c.id)}` }, `← ${t('back')}`));
  if (!valid.length) return [back, el('h1', {}, t('referTitle', { alias: c.alias })), el('p', { class: 'notice-box' }, t('noConsent'))];
  const shared = el('fieldset', { class: 'field' }, el('legend', {}, t('shared')));
  const drawShared = (consent) =>
    replace(shared, el('legend', {}, t('shared')), consent.details.map((d) => input({ name: `share_${d}`, label: t('shareLabel', { kind: label('detail', d) }) })));
  const choice = select({ name: 'consent', label: t('consent'), options: valid.map((k) => [k.id, t('consentTo', { ngo: k.ngo.name, purpose: k.purpose })]) });
  choice.querySelector('select').addEventListener('change', (e) => drawShared(valid.find((k) => k.id === e.target.value)));
  drawShared(valid[0]);
  return [
    back,
    el('h1', {}, t('referTitle', { alias: c.alias })),
    form({
      name: 'refer',
      children: [
        choice,
        checkboxes({ name: 'needs', legend: t('needs'), options: values('need').map((n) => [n, label('need', n)]) }),
        input({ name: 'message', label: t('message'), type: 'textarea' }),
        input({ name: 'contact', label: t('contact') }),
        shared,
      ],
      submit: t('send'),
      creates: true,
      reload,
      onSubmit: async (v, _form, idempotencyKey) => {
        const consent = valid.find((k) => k.id === v.consent);
        const sharedDetails = consent.details.filter((d) => v[`share_${d}`]).map((d) => ({ kind: d, value: v[`share_${d}`] }));
        const input = { citizenId: c.id, to: consent.ngo.code, needs: need(v.needs ?? [], 'needs'), message: need(v.message, 'message'), contact: need(v.contact, 'contact'), sharedDetails, idempotencyKey };
        const id = (await call(CREATE, { input })).createReferral.id;
        go(`#/referral/${encodeURIComponent(id)}`);
      },
    }),
  ];
}
