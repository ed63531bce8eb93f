// A citizen's access log: who read or changed the record, newest first, as
// the serving municipality sees the audit trail.

import { el } from '/lib/dom.js';
import { renderError } from './errors.js';
import { t, when } from './i18n.js';
import { call } from './session.js';

const LOG = `query Log($id: ID!, $after: String) {
  citizen(id: $id) { id alias accessLog(first: 20, after: $after) {
    edges { node { at sub role operation outcome organisation { name } } }
    pageInfo { endCursor hasNextPage } } }
}`;

export async function loadLog(id, params) {
  const after = params.get('after') || null;
  return { after, citizen: (await call(LOG, { id, after })).citizen };
}

export function renderLog({ after, citizen: c }) {
  if (!c) return [el('h1', {}, t('accessLog')), renderError({ code: 'NOT_FOUND' })];
  const id = encodeURIComponent(c.id);
  const conn = c.accessLog;
  return [
    el('p', {}, el('a', { href: `#/citizen/${id}` }, `← ${t('back')}`)),
    el('h1', {}, t('accessLogTitle', { alias: c.alias })),
    el('p', { class: 'muted' }, t('accessLogHelp')),
    el(
      'table',
      { class: 'list', 'data-log': '' },
      el('thead', {}, el('tr', {}, [t('colWhen'), t('colWho'), t('colOrg'), t('colWhat'), t('colOutcome')].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, conn.edges.map(({ node: a }) => el('tr', {}, el('td', {}, when(a.at)), el('td', {}, `${a.sub} (${a.role})`), el('td', {}, a.organisation?.name ?? ''), el('td', {}, a.operation), el('td', {}, a.outcome)))),
    ),
    el(
      'nav',
      { class: 'pager', 'aria-label': t('pages') },
      after ? el('a', { href: `#/citizen/${id}/log` }, t('firstPage')) : null,
      conn.pageInfo.hasNextPage ? el('a', { href: `#/citizen/${id}/log?after=${encodeURIComponent(conn.pageInfo.endCursor)}` }, t('nextPage')) : null,
    ),
  ];
}
