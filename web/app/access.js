// Who is signed in and what the token allows, as the API says
// (me { permissions }), and the sign-in form.

import { el } from '/lib/dom.js';
import { form, input, need } from './forms.js';
import { label, t, when } from './i18n.js';
import { tokenExpiry } from '/lib/api.js';
import { session } from './session.js';

export function renderAccess() {
  const me = session.me;
  const exp = tokenExpiry(session.token);
  return [
    el('h1', {}, t('navAccess')),
    el('p', { 'data-who': '' }, t('signedInAs', { sub: me.sub }), ' · ', t('whoRole', { role: label('role', me.role), org: me.organisation.name })),
    exp ? el('p', { 'data-expires': '' }, t('expiresAt', { at: when(exp.toISOString()) })) : null,
    el('h2', {}, t('allows')),
    el('p', { class: 'muted' }, t('allowsHelp')),
    el(
      'table',
      { class: 'list', 'data-permissions': '' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('colResource')), el('th', { scope: 'col' }, t('colAction')), el('th', { scope: 'col' }, t('colScope')))),
      el('tbody', {}, me.permissions.map((p) => el('tr', { 'data-permission': `${p.resource} ${p.action} ${p.scope}` }, el('td', {}, label('resource', p.resource)), el('td', {}, label('action', p.action)), el('td', {}, label('scope', p.scope))))),
    ),
  ];
}

export function renderSignIn(onToken) {
  const why = session.reason === 'expired' ? (session.expiredAt ? t('expired', { at: when(session.expiredAt.toISOString()) }) : t('expiredNoTime')) : session.reason === 'rejected' ? t('rejected') : null;
  return [
    el('h1', {}, t('signInTitle')),
    why ? el('div', { class: 'error', role: 'alert', 'data-signed-out': session.reason }, el('p', {}, el('strong', {}, why))) : null,
    el('p', {}, t('signInHelp')),
    form({
      name: 'signin',
      children: input({ name: 'token', label: t('tokenLabel'), type: 'password', attrs: { autocomplete: 'off', spellcheck: 'false' } }),
      submit: t('signIn'),
      onSubmit: (v) => onToken(need(v.token, 'token')),
    }),
  ];
}
