// The app's entry point: sign-in, the header (who, what they may open,
// language), routing between views by the address's fragment, and the live
// referral events. <html data-state> says where the page is (idle, loading,
// ready, error) and data-view which view is shown, for tests and debugging.

import { tokenExpiry } from '/lib/api.js';
import { loadAgreements, renderAgreements } from './agreements.js';
import { loadLog, renderLog } from './accesslog.js';
import { renderAccess, renderSignIn } from './access.js';
import { loadCitizen, renderCitizen } from './citizen.js';
import { loadCitizens, renderCitizens } from './citizens.js';
import { el, replace } from '/lib/dom.js';
import { renderError } from './errors.js';
import { focusSpot, restoreFocus } from './focus.js';
import { formState, restoreFormState } from './forms.js';
import { label, languages, setLanguage, t } from './i18n.js';
import { startLive } from './live.js';
import { renderRefer } from './refer.js';
import { loadReferral, renderReferral } from './referral.js';
import { isInbox, loadReferrals, renderReferrals } from './referrals.js';
import { can, isExpired, session, setToken, signIn, signOut } from './session.js';

const LANG_KEY = 'exithub.lang';
const $ = (s) => document.querySelector(s);
const state = { view: null, data: null, error: null, live: null, liveState: 'off', expiry: 0 };
let generation = 0;

/** Goes to a fragment; the same one again reloads the view. */
function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function home() {
  if (can('referral', 'receive')) return '#/inbox';
  if (can('citizen', 'read')) return '#/citizens';
  if (can('referral', 'read')) return '#/referrals';
  return '#/access';
}

/** The view for a fragment: what to load and how to draw it, or null. */
function match(hash) {
  const [path, query] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query ?? '');
  const [a, b, c] = path.split('/').filter(Boolean).map(decodeURIComponent);
  const reload = () => route({ keepFocus: true });
  if (a === 'access') return { name: 'access', load: async () => null, render: () => renderAccess() };
  if ((a === 'inbox' || a === 'referrals') && can('referral', 'read'))
    return { name: 'referrals', load: () => loadReferrals(params), render: (d) => renderReferrals(d, go), live: true };
  if (a === 'referral' && b && can('referral', 'read'))
    return { name: 'referral', id: b, load: () => loadReferral(b), render: (d) => renderReferral(d, reload, isInbox() ? '#/inbox' : '#/referrals'), live: true };
  if (a === 'citizens' && can('citizen', 'read')) return { name: 'citizens', load: () => loadCitizens(params), render: (d) => renderCitizens(d, go, reload) };
  if (a === 'citizen' && b && c === 'refer' && can('referral', 'create')) return { name: 'refer', load: () => loadCitizen(b), render: (d) => renderRefer(d, go, reload) };
  if (a === 'citizen' && b && c === 'log' && can('audit', 'read')) return { name: 'log', load: () => loadLog(b, params), render: (d) => renderLog(d) };
  if (a === 'citizen' && b && !c && can('citizen', 'read')) return { name: 'citizen', load: () => loadCitizen(b), render: (d) => renderCitizen(d, reload) };
  if (a === 'agreements' && can('cooperation_agreement', 'read')) return { name: 'agreements', load: () => loadAgreements(), render: (d) => renderAgreements(d, reload) };
  return null;
}

function setState(s) {
  document.documentElement.dataset.state = s;
}

/** Loads and draws the view the fragment names. */
async function route({ keepFocus = false, live = false } = {}) {
  const gen = ++generation;
  if (!session.token) return showSignIn();
  setState('loading');
  if (!session.me) {
    try {
      if (!(await signIn())) return showSignIn();
    } catch (e) {
      return showFailure(e);
    }
    if (gen !== generation) return;
    onSignedIn();
  }
  const view = match(location.hash);
  if (!view) return go(home());
  try {
    const data = await view.load();
    if (gen !== generation) return;
    // Typing may have begun while a live refresh loaded: the page stays.
    if (live && typing()) return setState('ready');
    Object.assign(state, { view, data, error: null });
  } catch (e) {
    if (gen !== generation) return;
    if (!session.token) return showSignIn();
    Object.assign(state, { view, data: null, error: e });
  }
  const spot = keepFocus ? focusSpot() : null;
  draw();
  setState(state.error ? 'error' : 'ready');
  if (keepFocus) restoreFocus(spot);
  else focusHeading();
}

/** A new view moves focus to its heading, so a screen reader reads it and Tab goes on from there. */
function focusHeading() {
  const h1 = $('main h1');
  if (!h1) return $('main').focus();
  h1.tabIndex = -1;
  h1.focus();
}

function showFailure(e) {
  Object.assign(state, { view: null, error: e });
  drawHeader();
  replace($('#main'), renderError(e));
  setState('error');
}

function showSignIn() {
  stopLive();
  Object.assign(state, { view: { name: 'signin' }, data: null, error: null });
  draw();
  setState(session.reason ? 'error' : 'idle');
  focusHeading();
}

/** After the API said who the token is: the live events and the expiry timer. */
function onSignedIn() {
  if (can('referral', 'read')) startLiveEvents();
  const exp = tokenExpiry(session.token);
  clearTimeout(state.expiry);
  if (exp) state.expiry = setTimeout(expired, Math.min(Math.max(exp.getTime() - Date.now(), 0), 2 ** 31 - 1));
}

function expired() {
  signOut('expired');
  showSignIn();
}

function startLiveEvents() {
  stopLive();
  state.live = startLive(session.token, {
    state: (s) => {
      state.liveState = s;
      drawLive();
    },
    event: onEvent,
    // Live: what the user is typing is kept (see onEvent).
    caughtUp: () => {
      notice(t('caughtUp'));
      if (state.view?.live) route({ keepFocus: true, live: true });
    },
    closed: () => {
      if (session.token && isExpired()) expired();
    },
    // The hub refused the token on the socket: retrying cannot help, a new token can.
    refused: () => {
      signOut(isExpired() ? 'expired' : 'rejected');
      showSignIn();
    },
  });
}

function stopLive() {
  state.live?.stop();
  state.live = null;
  state.liveState = 'off';
}

function onEvent(e) {
  const r = e.referral;
  if (e.kind === 'CREATED') notice(t('arrived', { from: r.from.name }));
  else if (e.kind === 'CONSENT_WITHDRAWN') notice(t('consentWithdrawnEvent'));
  else notice(t('changed', { status: label('status', r.status) }));
  const view = state.view;
  // What the user is typing is not thrown away: a half-written note
  // waits, and the next action is answered "changed meanwhile".
  if (view?.name === 'referrals') route({ keepFocus: true, live: true });
  if (view?.name === 'referral' && view.id === r.id && !typing()) route({ keepFocus: true, live: true });
}

/** Whether a field of the page holds something the user typed. */
function typing() {
  return [...document.querySelectorAll('main textarea, main input')].some((i) => i.value);
}

function notice(text) {
  replace($('#notice'), el('p', { class: 'notice' }, text));
}

function drawLive() {
  const live = $('#live');
  if (!live) return;
  const s = state.liveState;
  live.dataset.live = s;
  const words = { connected: t('liveOn'), closed: t('liveOff'), stopped: t('liveStopped') };
  replace(live, `${t('live')}: `, words[s] ?? t('liveConnecting'));
}

function drawHeader() {
  document.documentElement.lang = t('htmlLang');
  document.title = `Exit Hub · ${t('title')}`;
  for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
  for (const n of document.querySelectorAll('[data-i18n-label]')) n.setAttribute('aria-label', t(n.dataset.i18nLabel));
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === t('htmlLang')));
  const me = session.me;
  const links = me
    ? [
        can('referral', 'read') ? ['#/' + (isInbox() ? 'inbox' : 'referrals'), isInbox() ? t('navInbox') : t('navReferrals'), 'referrals'] : null,
        can('citizen', 'read') ? ['#/citizens', t('navCitizens'), 'citizens'] : null,
        can('cooperation_agreement', 'read') ? ['#/agreements', t('navAgreements'), 'agreements'] : null,
        ['#/access', t('navAccess'), 'access'],
      ].filter(Boolean)
    : [];
  const active = state.view?.name;
  const section = { referral: 'referrals', citizen: 'citizens', refer: 'citizens', log: 'citizens' }[active] ?? active;
  replace($('#nav'), links.length ? el('ul', {}, links.map(([href, text, name]) => el('li', {}, el('a', { href, 'aria-current': name === section ? 'page' : null }, text)))) : null);
  replace(
    $('#who'),
    me
      ? [
          el('p', { 'data-signed-in': me.sub }, el('strong', {}, me.sub), el('br'), t('whoRole', { role: label('role', me.role), org: me.organisation.name })),
          state.live ? el('p', { id: 'live', class: 'live' }) : null,
          el('button', { type: 'button', class: 'secondary small-button', 'data-sign-out': '', onclick: () => { signOut(); showSignIn(); } }, t('signOut')),
        ]
      : [],
  );
  drawLive();
}

function draw() {
  drawHeader();
  document.documentElement.dataset.view = state.view?.name ?? '';
  const main = $('#main');
  if (state.view?.name === 'signin') return replace(main, renderSignIn(useToken));
  if (state.error) return replace(main, el('h1', {}, t('title')), renderError(state.error));
  replace(main, state.view.render(state.data));
}

function useToken(token) {
  stopLive();
  session.reason = null;
  setToken(token);
  if (location.hash === home() || !location.hash) route();
  else go('#/');
}

/** A token in the fragment (#token=…, as `make run` prints it) is taken and removed from the address. */
function tokenFromFragment() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) return false;
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
  stopLive();
  session.reason = null;
  setToken(token);
  return true;
}

function start() {
  setLanguage(localStorage.getItem(LANG_KEY) ?? 'da');
  tokenFromFragment();
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => {
      if (!languages.includes(b.dataset.lang)) return;
      localStorage.setItem(LANG_KEY, setLanguage(b.dataset.lang));
      // Every text is drawn again in the new language; what the user has
      // entered in the forms is not theirs to enter twice.
      const entered = formState($('#main'));
      draw();
      restoreFormState($('#main'), entered);
    });
  }
  window.addEventListener('hashchange', () => {
    tokenFromFragment();
    route();
  });
  window.addEventListener('exithub:signedout', () => showSignIn());
  route();
}

start();
