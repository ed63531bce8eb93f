// One citizen, for the caseworker: the record, the consents (give, withdraw),
// the courses (start, record events), and one click to the access log and to
// referring the citizen to an NGO.

import { addDate } from '/lib/days.js';
import { el } from '/lib/dom.js';
import { renderError } from './errors.js';
import { checkboxes, form, input, need, select, today } from './forms.js';
import { label, t, values, when } from './i18n.js';
import { call, can } from './session.js';
import { courseSection } from './courses.js';

const ONE = `query Citizen($id: ID!, $ngos: Boolean!) {
  citizen(id: $id) {
    id alias anonymous birthYear gender createdAt
    consents { id ngo { code name } purpose details givenOn expiresOn withdrawnAt }
    courses { id kind track phase startedOn endedOn endReason outcomes supportPerson version
      activityPlan { id need goal status } events { kind on actor } }
  }
  organisations(kind: NGO) @include(if: $ngos) { code name }
}`;

export async function loadCitizen(id) {
  const data = await call(ONE, { id, ngos: can('consent', 'create') });
  return { citizen: data.citizen, ngos: data.organisations ?? [] };
}

/** Whether a consent holds today. */
export function holds(c) {
  return !c.withdrawnAt && c.givenOn <= today() && today() <= c.expiresOn;
}

export function renderCitizen({ citizen: c, ngos }, reload) {
  if (!c) return [el('h1', {}, t('citizensTitle')), renderError({ code: 'NOT_FOUND' })];
  const id = encodeURIComponent(c.id);
  return [
    el('p', {}, el('a', { href: '#/citizens' }, `← ${t('back')}`)),
    el('h1', {}, t('citizenTitle', { alias: c.alias })),
    el(
      'dl',
      { class: 'facts' },
      c.anonymous ? [el('dt', {}, t('anonymous')), el('dd', {}, t('anonymousYes'))] : null,
      c.birthYear ? [el('dt', {}, t('birthYear')), el('dd', {}, String(c.birthYear))] : null,
      c.gender ? [el('dt', {}, t('gender')), el('dd', {}, label('gender', c.gender))] : null,
      el('dt', {}, t('colRegistered')),
      el('dd', {}, when(c.createdAt)),
    ),
    el(
      'p',
      { class: 'links' },
      can('referral', 'create') ? el('a', { class: 'button', href: `#/citizen/${id}/refer`, 'data-link': 'refer' }, t('refer')) : null,
      can('audit', 'read') ? el('a', { class: 'button secondary', href: `#/citizen/${id}/log`, 'data-link': 'log' }, t('accessLog')) : null,
    ),
    consents(c, ngos, reload),
    courseSection(c, reload),
  ];
}

function consents(c, ngos, reload) {
  const rows = c.consents.map((k) =>
    el(
      'li',
      { 'data-consent': k.id },
      el('p', {}, el('strong', {}, t('consentTo', { ngo: k.ngo.name, purpose: k.purpose }))),
      el('p', { class: 'small' }, k.details.map((d) => label('detail', d)).join(', '), ' · ', t('consentPeriod', { from: when(k.givenOn), to: when(k.expiresOn) }), k.withdrawnAt ? ` · ${t('withdrawn', { at: when(k.withdrawnAt) })}` : ''),
      !k.withdrawnAt && can('consent', 'withdraw')
        ? form({
            name: 'withdraw',
            children: [],
            submit: t('withdraw'),
            reload,
            onSubmit: async () => {
              await call(`mutation WithdrawConsent($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { id } }`, { input: { consentId: k.id } });
              await reload();
            },
          })
        : null,
    ),
  );
  return el(
    'section',
    { 'aria-labelledby': 'consents-h' },
    el('h2', { id: 'consents-h' }, t('consents')),
    rows.length ? el('ul', { class: 'items' }, rows) : el('p', { class: 'muted' }, t('none')),
    can('consent', 'create') ? giveConsent(c, ngos, reload) : null,
  );
}

function giveConsent(c, ngos, reload) {
  const given = today();
  return form({
    name: 'consent',
    title: t('giveConsent'),
    children: [
      select({ name: 'ngo', label: t('ngo'), options: ngos.map((o) => [o.code, o.name]) }),
      input({ name: 'purpose', label: t('purpose') }),
      checkboxes({ name: 'details', legend: t('details'), options: values('detail').map((d) => [d, label('detail', d)]) }),
      input({ name: 'givenOn', label: t('givenOn'), type: 'date', value: given }),
      // A year from the day it is given, both days in Copenhagen.
      input({ name: 'expiresOn', label: t('expiresOn'), type: 'date', value: addDate(given, 1, 0, 0) }),
    ],
    submit: t('giveConsent'),
    creates: true,
    reload,
    onSubmit: async (v, _form, idempotencyKey) => {
      const input = { citizenId: c.id, ngo: need(v.ngo, 'ngo'), purpose: need(v.purpose, 'purpose'), details: need(v.details ?? [], 'details'), givenOn: need(v.givenOn, 'givenOn'), expiresOn: need(v.expiresOn, 'expiresOn'), idempotencyKey };
      await call(`mutation GiveConsent($input: GiveConsentInput!) { giveConsent(input: $input) { id } }`, { input });
      await reload();
    },
  });
}
