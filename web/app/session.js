// Who is signed in: the token (sessionStorage, gone when the tab closes),
// the principal the API says it is, and what the policy lets it do.

import { ApiError, graphql, tokenExpiry } from '/lib/api.js';

const TOKEN_KEY = 'exithub.app.token';

export const ME = `query Me { me { sub role organisation { code name kind } permissions { resource action scope } } }`;

export const session = {
  token: sessionStorage.getItem(TOKEN_KEY) ?? '',
  me: null,
  /** Why the user is signed out: 'expired', 'rejected' or null. */
  reason: null,
  expiredAt: null,
};

/** Keeps a token (or forgets it, given ''). */
export function setToken(token) {
  session.token = token.trim();
  session.me = null;
  if (session.token) sessionStorage.setItem(TOKEN_KEY, session.token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Asks who the token belongs to; false (with session.reason) when it is refused. */
export async function signIn() {
  try {
    session.me = (await graphql(session.token, ME)).me;
    session.reason = null;
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') {
      signOut(isExpired() ? 'expired' : 'rejected');
      return false;
    }
    throw e;
  }
}

/** Whether the token's own expiry has passed (the server has the last word). */
export function isExpired() {
  const exp = tokenExpiry(session.token);
  return exp !== null && exp.getTime() <= Date.now();
}

export function signOut(reason = null) {
  session.expiredAt = reason === 'expired' ? tokenExpiry(session.token) : null;
  session.reason = reason;
  setToken('');
}

/** Whether the policy lets the principal take the action on the resource in some scope. */
export function can(resource, action) {
  return Boolean(session.me?.permissions.some((p) => p.resource === resource && p.action === action));
}

/** A GraphQL call with the session's token; an expired token signs the user out. */
export async function call(query, variables) {
  try {
    return await graphql(session.token, query, variables);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') {
      signOut(isExpired() ? 'expired' : 'rejected');
      window.dispatchEvent(new Event('exithub:signedout'));
    }
    throw e;
  }
}
