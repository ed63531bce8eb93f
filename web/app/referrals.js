// The list of referrals: for an NGO worker the inbox of those addressed to
// the NGO, for a caseworker those the municipality sent. Filtered by status
// and paged forward with first/after; the page's cursor is in the address,
// so a reload or the back button shows the same page.

import { el } from '/lib/dom.js';
import { label, t, values, when } from './i18n.js';
import { call, can } from './session.js';

const PAGE = 20;

const LIST = `query Referrals($first: Int!, $after: String, $status: ReferralStatus) {
  referrals(first: $first, after: $after, filter: { status: $status }) {
    edges { node { id status needs createdAt from { name } to { name } externalOffer } }
    pageInfo { endCursor hasNextPage }
  }
}`;

/** Whether the principal works an inbox (an NGO) rather than sends referrals. */
export function isInbox() {
  return can('referral', 'receive');
}

export async function loadReferrals(params) {
  const status = params.get('status') || null;
  const after = params.get('after') || null;
  const data = await call(LIST, { first: PAGE, after, status });
  return { status, after, conn: data.referrals };
}

export function renderReferrals({ status, after, conn }, go) {
  const base = isInbox() ? '#/inbox' : '#/referrals';
  // The list changes when the user applies the filter, not as the choice
  // moves: arrowing through the statuses must not load a page per step
  // (WCAG 3.2.2, on input).
  const filter = el(
    'form',
    {
      class: 'filter',
      'data-form': 'filter',
      onsubmit: (e) => {
        e.preventDefault();
        const chosen = e.target.elements.status.value;
        go(`${base}${chosen ? `?status=${encodeURIComponent(chosen)}` : ''}`);
      },
    },
    el('label', { for: 'status-filter' }, t('filterStatus')),
    el(
      'select',
      { id: 'status-filter', name: 'status' },
      el('option', { value: '' }, t('allStatuses')),
      values('status').map((s) => el('option', { value: s, selected: s === status }, label('status', s))),
    ),
    el('button', { type: 'submit', class: 'secondary small-button', 'data-apply-filter': '' }, t('applyFilter')),
  );
  const rows = conn.edges.map(({ node: r }) =>
    el(
      'tr',
      { 'data-referral': r.id, 'data-status': r.status },
      el('td', {}, el('a', { href: `#/referral/${encodeURIComponent(r.id)}` }, isInbox() ? r.from.name : r.to?.name ?? r.externalOffer)),
      el('td', {}, r.needs.map((n) => label('need', n)).join(', ')),
      el('td', {}, el('span', { class: `badge s-${r.status}` }, label('status', r.status))),
      el('td', {}, when(r.createdAt)),
    ),
  );
  const q = (extra) => `${base}?${new URLSearchParams({ ...(status ? { status } : {}), ...extra })}`;
  return [
    el('h1', {}, isInbox() ? t('inboxTitle') : t('referralsTitle')),
    filter,
    rows.length
      ? el(
          'table',
          { class: 'list' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, isInbox() ? t('colFrom') : t('colTo')), el('th', { scope: 'col' }, t('colNeeds')), el('th', { scope: 'col' }, t('colStatus')), el('th', { scope: 'col' }, t('colSent')))),
          el('tbody', {}, rows),
        )
      : el('p', { class: 'muted' }, t('none')),
    el(
      'nav',
      { class: 'pager', 'aria-label': t('pages') },
      after ? el('a', { href: q({}) }, t('firstPage')) : null,
      conn.pageInfo.hasNextPage ? el('a', { href: q({ after: conn.pageInfo.endCursor }), 'data-next': '' }, t('nextPage')) : null,
    ),
  ];
}
