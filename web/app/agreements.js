// The municipality's cooperation agreements with NGOs, and registering one.
// Amounts are decimal strings (the Money scalar), never floats.

import { el } from '/lib/dom.js';
import { checkbox, form, input, need, select, today } from './forms.js';
import { label, t, when } from './i18n.js';
import { call, can } from './session.js';

const LIST = `query Agreements($ngos: Boolean!) {
  cooperationAgreements { id ngo { name } from to amount services status }
  organisations(kind: NGO) @include(if: $ngos) { code name }
}`;

export async function loadAgreements() {
  const data = await call(LIST, { ngos: can('cooperation_agreement', 'create') });
  return { list: data.cooperationAgreements, ngos: data.organisations ?? [] };
}

export function renderAgreements({ list, ngos }, reload) {
  return [
    el('h1', {}, t('agreementsTitle')),
    list.length
      ? el(
          'table',
          { class: 'list' },
          el('thead', {}, el('tr', {}, [t('ngo'), t('from'), t('to'), t('amount'), t('services'), t('colStatus')].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, list.map((a) => el('tr', {}, el('td', {}, a.ngo.name), el('td', {}, when(a.from)), el('td', {}, when(a.to)), el('td', { class: 'num' }, a.amount), el('td', {}, a.services.join(', ')), el('td', {}, label('agreement', a.status))))),
        )
      : el('p', { class: 'muted' }, t('none')),
    can('cooperation_agreement', 'create')
      ? form({
          name: 'agreement',
          title: t('registerAgreement'),
          level: 'h2',
          children: [
            select({ name: 'ngo', label: t('ngo'), options: ngos.map((o) => [o.code, o.name]) }),
            input({ name: 'from', label: t('from'), type: 'date', value: today() }),
            input({ name: 'to', label: t('to'), type: 'date' }),
            input({ name: 'amount', label: t('amount'), help: t('amountHelp'), attrs: { inputmode: 'decimal' } }),
            input({ name: 'services', label: t('services'), help: t('servicesHelp') }),
            checkbox({ name: 'active', label: t('activeNow') }),
          ],
          submit: t('save'),
          creates: true,
          reload,
          onSubmit: async (v, _form, idempotencyKey) => {
            const services = v.services.split(',').map((s) => s.trim()).filter(Boolean);
            const input = { ngo: need(v.ngo, 'ngo'), from: need(v.from, 'from'), to: need(v.to, 'to'), amount: need(v.amount, 'amount'), services: need(services, 'services'), active: v.active, idempotencyKey };
            await call(`mutation CreateAgreement($input: CreateCooperationAgreementInput!) { createCooperationAgreement(input: $input) { id } }`, { input });
            await reload();
          },
        })
      : null,
  ];
}
