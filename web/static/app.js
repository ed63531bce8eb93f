// The dashboard's entry point: the token, the day, the language, and
// loading and drawing the panels. <html data-state> says where the page is
// (idle, loading, ready, error) for tests and for anyone debugging.

import { graphql } from '/lib/api.js';
import { el, replace } from '/lib/dom.js';
import { entry, languages, setLanguage, t } from './i18n.js';
import { renderError } from './messages.js';
import { panels } from './panels.js';
import { ME } from './queries.js';

const TOKEN_KEY = 'exithub.token'; // sessionStorage: gone when the tab closes
const LANG_KEY = 'exithub.lang'; // localStorage: a preference, not a secret

const state = {
  token: sessionStorage.getItem(TOKEN_KEY) ?? '',
  asOf: '2014-03-18',
  me: null,
  authError: null,
  // Per panel: { status, data, error }.
  panels: Object.fromEntries(Object.keys(panels).map((k) => [k, { status: 'idle' }])),
};

// Each load takes a number; an answer to an older load is dropped, so a
// quick change of date never shows the figures of the day before.
let generation = 0;

const $ = (selector) => document.querySelector(selector);

/**
 * Takes a token from the fragment (#token=…), which `make run` prints in a
 * link; the fragment never reaches the server. It is removed from the
 * address bar at once, so it is not left in history or a screenshot.
 */
function tokenFromFragment() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) return false;
  history.replaceState(null, '', location.pathname + location.search);
  useToken(token);
  return true;
}

function useToken(token) {
  state.token = token.trim();
  if (state.token) sessionStorage.setItem(TOKEN_KEY, state.token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Loads the panels (all, or only those that depend on the day). */
async function load({ all = true } = {}) {
  const gen = ++generation;
  const token = state.token;
  const asOf = state.asOf;
  if (!token) {
    state.me = null;
    state.authError = null;
    for (const p of Object.values(state.panels)) Object.assign(p, { status: 'idle', data: null, error: null });
    document.documentElement.dataset.state = 'idle';
    render();
    return;
  }
  document.documentElement.dataset.state = 'loading';
  // A panel that does not follow the day is loaded again only if it has no
  // answer yet (e.g. a change of date overtook its first load).
  const names = Object.keys(panels).filter((k) => all || panels[k].daily !== false || state.panels[k].status !== 'ready');
  for (const k of names) state.panels[k].status = 'loading';
  render();

  try {
    // Who is asking, first: a bad token is one message, not four.
    state.me = (await graphql(token, ME)).me;
    state.authError = null;
  } catch (e) {
    if (gen !== generation) return;
    state.me = null;
    state.authError = e;
    for (const p of Object.values(state.panels)) Object.assign(p, { status: 'idle', data: null, error: null });
    document.documentElement.dataset.state = 'error';
    render();
    return;
  }
  await Promise.all(
    names.map(async (k) => {
      try {
        const data = await panels[k].fetch(token, asOf);
        if (gen === generation) Object.assign(state.panels[k], { status: 'ready', data, error: null });
      } catch (e) {
        if (gen === generation) Object.assign(state.panels[k], { status: 'error', data: null, error: e });
      }
    }),
  );
  if (gen !== generation) return;
  const failed = Object.values(state.panels).some((p) => p.status === 'error');
  render();
  document.documentElement.dataset.state = failed ? 'error' : 'ready';
}

/** Draws everything from state, in the current language. */
function render() {
  document.documentElement.lang = entry('htmlLang');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === entry('htmlLang')));
  document.title = `${t('appName')} · ${t('title')}`;
  $('#footer').textContent = t('footer', { n: state.panels.table.data?.threshold ?? 5 });

  const me = state.me;
  replace($('#who'), me ? [t('signedInAs'), ' ', el('strong', {}, me.sub), ' · ', el('code', {}, me.role), ' · ', me.organisation.name] : []);
  replace($('#notice'), state.authError ? renderError(state.authError) : !state.token ? el('p', { class: 'notice' }, t('tokenMissing')) : []);

  for (const [k, p] of Object.entries(state.panels)) {
    const section = $(`#panel-${k}`);
    section.dataset.status = p.status;
    section.querySelector('.sub').textContent = p.status === 'idle' ? '' : panels[k].sub(state.asOf, p.data);
    const body = section.querySelector('.body');
    if (p.status === 'ready') replace(body, panels[k].render(p.data, state.asOf));
    else if (p.status === 'error') replace(body, renderError(p.error));
    else if (p.status === 'loading') replace(body, el('p', { class: 'muted loading' }, t('loading')));
    else replace(body);
  }
}

function start() {
  setLanguage(localStorage.getItem(LANG_KEY) ?? 'da');
  tokenFromFragment();
  $('#token').value = state.token;

  $('#controls').addEventListener('submit', (e) => {
    e.preventDefault();
    useToken($('#token').value);
    load();
  });
  $('#forget').addEventListener('click', () => {
    useToken('');
    $('#token').value = '';
    load();
  });
  $('#asof').addEventListener('change', (e) => {
    // An empty or half-typed date is not a day to ask about.
    if (!e.target.validity.valid || !e.target.value) return;
    state.asOf = e.target.value;
    load({ all: false });
  });
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => {
      if (!languages.includes(b.dataset.lang)) return;
      localStorage.setItem(LANG_KEY, setLanguage(b.dataset.lang));
      render();
    });
  }
  window.addEventListener('hashchange', () => {
    if (tokenFromFragment()) {
      $('#token').value = state.token;
      load();
    }
  });
  $('#asof').value = state.asOf;
  load();
}

start();
