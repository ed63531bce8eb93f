// A caseworker's citizens: the municipality's list, paged, and registering
// one (with a CPR number checked as the API checks it, or anonymously).

import { el } from '/lib/dom.js';
import { FormError, checkbox, form, input, need, select } from './forms.js';
import { cprProblem } from './cpr.js';
import { label, t, values, when } from './i18n.js';
import { call, can } from './session.js';

const LIST = `query Citizens($after: String) {
  citizens(first: 20, after: $after) {
    edges { node { id alias anonymous createdAt } }
    pageInfo { endCursor hasNextPage }
  }
}`;

const REGISTER = `mutation Register($input: RegisterCitizenInput!) { registerCitizen(input: $input) { id } }`;

export async function loadCitizens(params) {
  const after = params.get('after') || null;
  return { after, conn: (await call(LIST, { after })).citizens };
}

export function renderCitizens({ after, conn }, go, reload) {
  const rows = conn.edges.map(({ node: c }) =>
    el('tr', {}, el('td', {}, el('a', { href: `#/citizen/${encodeURIComponent(c.id)}` }, c.alias)), el('td', {}, c.anonymous ? t('anonymousYes') : ''), el('td', {}, when(c.createdAt))),
  );
  return [
    el('h1', {}, t('citizensTitle')),
    can('citizen', 'create') ? registerForm(go, reload) : null,
    rows.length
      ? el('table', { class: 'list' }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('colAlias')), el('th', { scope: 'col' }, t('colAnonymous')), el('th', { scope: 'col' }, t('colRegistered')))), el('tbody', {}, rows))
      : el('p', { class: 'muted' }, t('none')),
    el(
      'nav',
      { class: 'pager', 'aria-label': t('pages') },
      after ? el('a', { href: '#/citizens' }, t('firstPage')) : null,
      conn.pageInfo.hasNextPage ? el('a', { href: `#/citizens?after=${encodeURIComponent(conn.pageInfo.endCursor)}` }, t('nextPage')) : null,
    ),
  ];
}

function registerForm(go, reload) {
  const cpr = input({ name: 'cpr', label: t('cpr'), help: t('cprHelp'), attrs: { autocomplete: 'off', inputmode: 'numeric' } });
  const anon = checkbox({ name: 'anonymous', label: t('anonymous') });
  anon.querySelector('input').addEventListener('change', (e) => {
    cpr.querySelector('input').disabled = e.target.checked;
  });
  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'register-h' },
    form({
      name: 'register',
      title: el('span', { id: 'register-h' }, t('registerTitle')),
      level: 'h2',
      children: [
        input({ name: 'alias', label: t('alias') }),
        anon,
        cpr,
        input({ name: 'birthYear', label: t('birthYear'), attrs: { inputmode: 'numeric' } }),
        select({ name: 'gender', label: t('gender'), options: [['', t('genderUnknown')], ...values('gender').map((g) => [g, label('gender', g)])] }),
      ],
      submit: t('register'),
      creates: true,
      reload,
      onSubmit: async (v, _form, idempotencyKey) => {
        need(v.alias, 'alias');
        if (!v.anonymous) {
          const problem = cprProblem(need(v.cpr, 'cpr'));
          if (problem) throw new FormError('cpr', t(problem));
        }
        const input = { alias: v.alias, ...(v.anonymous ? {} : { cpr: v.cpr }), idempotencyKey };
        if (v.birthYear) {
          if (!/^\d{4}$/.test(v.birthYear)) throw new FormError('birthYear', t('yearInvalid'));
          input.birthYear = Number(v.birthYear);
        }
        if (v.gender) input.gender = v.gender;
        const id = (await call(REGISTER, { input })).registerCitizen.id;
        go(`#/citizen/${encodeURIComponent(id)}`);
      },
    }),
  );
}
