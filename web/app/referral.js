// One referral: the needs, the details the citizen consented to share, the
// history and the notes, and the transitions the principal may take from
// the current state. Each transition sends the version shown, so a change
// made meanwhile is refused (CONFLICT) and shown as "changed meanwhile".

import { el } from '/lib/dom.js';
import { reloadButton, renderError } from './errors.js';
import { form, input, need } from './forms.js';
import { label, t, when } from './i18n.js';
import { call, can } from './session.js';

const ONE = `query Referral($id: ID!) {
  referral(id: $id) {
    id status version needs message contact outcome externalOffer createdAt
    from { name } to { name }
    sharedDetails { kind value }
    history { from to reason actor at actorOrganisation { name } }
    notes { text actor at actorOrganisation { name } }
  }
}`;

// Which transitions the state machine (exithub.transitions) allows from a
// state; the server decides, this only avoids offering a dead button.
const NEXT = {
  REQUESTED: ['receive', 'cancel'],
  RECEIVED: ['accept', 'reject', 'cancel'],
  ACCEPTED: ['start', 'cancel'],
  IN_PROGRESS: ['complete', 'fail', 'cancel'],
};
// What a transition must be given: a reason, an outcome, or nothing.
const ASKS = { reject: 'reason', fail: 'reason', cancel: 'reason', complete: 'outcome' };

export async function loadReferral(id) {
  return (await call(ONE, { id })).referral;
}

// One document per transition, written out, so that each is on the allow-list as it is sent.
const TRANSITIONS = {
  receive: `mutation ReceiveReferral($input: ReferralTransitionInput!) { receiveReferral(input: $input) { id } }`,
  accept: `mutation AcceptReferral($input: ReferralTransitionInput!) { acceptReferral(input: $input) { id } }`,
  reject: `mutation RejectReferral($input: ReferralTransitionInput!) { rejectReferral(input: $input) { id } }`,
  start: `mutation StartReferral($input: ReferralTransitionInput!) { startReferral(input: $input) { id } }`,
  complete: `mutation CompleteReferral($input: ReferralTransitionInput!) { completeReferral(input: $input) { id } }`,
  fail: `mutation FailReferral($input: ReferralTransitionInput!) { failReferral(input: $input) { id } }`,
  cancel: `mutation CancelReferral($input: ReferralTransitionInput!) { cancelReferral(input: $input) { id } }`,
};

async function transition(action, r, extra) {
  await call(TRANSITIONS[action], {
    input: { id: r.id, expectedVersion: r.version, ...extra },
  });
}

export function renderReferral(r, reload, back) {
  if (!r) return [el('h1', {}, t('referralTitle')), renderError({ code: 'NOT_FOUND' })];
  const who = r.to?.name ?? r.externalOffer;
  return [
    el('p', {}, el('a', { href: back }, `← ${t('back')}`)),
    el('h1', { tabindex: '-1' }, `${t('referralTitle')}: ${r.from.name} → ${who}`),
    el('p', { class: 'status-line' }, el('span', { class: `badge s-${r.status}`, 'data-referral-status': r.status }, label('status', r.status)), ' ', el('span', { class: 'muted' }, when(r.createdAt))),
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, t('needs')),
      el('dd', {}, r.needs.map((n) => label('need', n)).join(', ')),
      el('dt', {}, t('message')),
      el('dd', {}, r.message),
      el('dt', {}, t('contact')),
      el('dd', {}, r.contact),
      r.outcome ? [el('dt', {}, t('outcome')), el('dd', { 'data-outcome': '' }, r.outcome)] : null,
    ),
    el('section', { 'aria-labelledby': 'shared-h' }, el('h2', { id: 'shared-h' }, t('shared')), sharedDetails(r)),
    actions(r, reload),
    el('section', { 'aria-labelledby': 'history-h' }, el('h2', { id: 'history-h' }, t('history')), history(r)),
    el('section', { 'aria-labelledby': 'notes-h' }, el('h2', { id: 'notes-h' }, t('notes')), notes(r, reload)),
  ];
}

function sharedDetails(r) {
  if (!r.sharedDetails.length) {
    // The reason the schema names for a cancel because the consent was withdrawn.
    const erased = r.history.some((h) => h.to === 'CANCELLED' && h.reason === 'consent withdrawn');
    return el('p', { class: 'muted', 'data-shared': 'none' }, erased ? t('sharedErased') : t('sharedNone'));
  }
  return el('dl', { class: 'facts', 'data-shared': 'some' }, r.sharedDetails.map((d) => [el('dt', {}, label('detail', d.kind)), el('dd', {}, d.value)]));
}

function actions(r, reload) {
  const offered = (NEXT[r.status] ?? []).filter((a) => can('referral', a));
  if (!offered.length) return null;
  const simple = offered.filter((a) => !ASKS[a]);
  const asking = offered.filter((a) => ASKS[a]);
  const status = el('div', { class: 'form-status', 'aria-live': 'polite' });
  const fail = (err) => status.replaceChildren(err.code === 'CONFLICT' ? stale(reload) : renderError(err));
  return el(
    'section',
    { 'aria-labelledby': 'actions-h', class: 'actions' },
    el('h2', { id: 'actions-h' }, t('actions')),
    simple.length
      ? el(
          'div',
          { class: 'buttons' },
          simple.map((a) =>
            el('button', {
              type: 'button',
              'data-action': a,
              onclick: async (e) => {
                e.target.disabled = true;
                try {
                  await transition(a, r, {});
                  await reload();
                  // The button is gone with the old state; the heading is where the new one starts.
                  document.querySelector('main h1')?.focus();
                } catch (err) {
                  e.target.disabled = false;
                  fail(err);
                }
              },
            }, t(`act_${a}`)),
          ),
        )
      : null,
    status,
    asking.map((a) =>
      form({
        name: a,
        children: input({ name: ASKS[a], label: t(ASKS[a]), type: 'textarea' }),
        submit: t(`act_${a}`),
        onSubmit: async (v) => {
          try {
            await transition(a, r, { [ASKS[a]]: need(v[ASKS[a]], ASKS[a]) });
          } catch (err) {
            if (err.code === 'CONFLICT') return fail(err);
            throw err;
          }
          await reload();
        },
      }),
    ),
  );
}

/** "The referral changed meanwhile": a transition's version is old; one button loads the new one. */
function stale(reload) {
  return el('div', { class: 'error', role: 'alert', 'data-error-code': 'CONFLICT' }, el('p', {}, el('strong', {}, t('stale'))), reloadButton(reload));
}

function history(r) {
  return el(
    'table',
    { class: 'list' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('colWhen')), el('th', { scope: 'col' }, t('colStatus')), el('th', { scope: 'col' }, t('colWho')), el('th', { scope: 'col' }, t('colReason')))),
    el(
      'tbody',
      {},
      r.history.map((h) =>
        el('tr', {}, el('td', {}, when(h.at)), el('td', {}, h.from ? `${label('status', h.from)} → ` : '', label('status', h.to)), el('td', {}, `${h.actor} (${h.actorOrganisation.name})`), el('td', {}, h.reason ?? '')),
      ),
    ),
  );
}

function notes(r, reload) {
  const list = r.notes.length
    ? el('ul', { class: 'notes' }, r.notes.map((n) => el('li', { 'data-note': '' }, el('p', {}, n.text), el('p', { class: 'muted small' }, `${n.actor} (${n.actorOrganisation.name}) · ${when(n.at)}`))))
    : el('p', { class: 'muted' }, t('none'));
  const add = can('referral', 'note')
    ? form({
        name: 'note',
        title: t('addNote'),
        children: input({ name: 'text', label: t('noteLabel'), type: 'textarea' }),
        submit: t('addNote'),
        reload,
        onSubmit: async (v) => {
          await call(`mutation AddNote($input: AddReferralNoteInput!) { addReferralNote(input: $input) { at } }`, { input: { id: r.id, text: need(v.text, 'text') } });
          await reload();
        },
      })
    : null;
  return [list, add];
}
