// The dashboard and the app are ordinary clients of /graphql: a POST with
// the user's bearer token, nothing the server would not answer to any other
// client. The token travels in the header; no cookie is wanted or sent.
//
// An answer the hub marks retryable (UNAVAILABLE, RATE_LIMITED: see the
// README's Errors) is sent again after the Retry-After it names, a bounded
// number of times, when sending it again cannot write twice. Every other
// code is final and thrown at once.

/** How many times one operation is sent at most, the first included. */
export const ATTEMPTS = 4;
/** The longest wait before sending again; a hub asking for more is answered by the user, later. */
const MAX_WAIT_SECONDS = 30;
/** Statuses a proxy in front of the hub answers when the hub is down or slow, with no GraphQL body. */
const GATEWAY = new Set([502, 503, 504]);

/** An error the API answered with: extensions.code and extensions.field. */
export class ApiError extends Error {
  constructor(code, message, field, status, { retryable = false, retryAfter = null } = {}) {
    super(message || code);
    this.name = 'ApiError';
    this.code = code;
    this.field = field ?? null;
    this.status = status;
    /** Whether the same request may succeed later (extensions.retryable). */
    this.retryable = retryable;
    /** The seconds the hub asked to wait (Retry-After), or null. */
    this.retryAfter = retryAfter;
  }
}

/**
 * Runs one operation and returns its data; the first error in the answer
 * throws. A retryable answer is tried again, up to ATTEMPTS times in all,
 * when that is safe: see mayRepeat.
 */
export async function graphql(token, query, variables = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await post(token, query, variables);
    } catch (e) {
      const wait = retryWait(e, attempt);
      if (wait === null || !mayRepeat(e, query, variables)) throw e;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * The milliseconds to wait before sending again, or null when not to: a
 * final code, the last attempt, or a wait longer than a form should hang.
 * The hub's Retry-After is kept, plus up to a fifth more at random, so that
 * the clients it turned away together do not come back together.
 */
export function retryWait(e, attempt) {
  if (!(e instanceof ApiError) || !e.retryable || attempt >= ATTEMPTS) return null;
  const seconds = e.retryAfter ?? 2 ** (attempt - 1);
  if (seconds > MAX_WAIT_SECONDS) return null;
  return seconds * 1000 * (1 + Math.random() / 5);
}

/**
 * Whether sending the operation again cannot write twice: a query; a
 * mutation whose input carries an idempotencyKey (the hub answers the
 * repeat with the first result); or a request the rate limit refused with
 * 429 before anything ran. Any other mutation may have committed before its
 * answer failed, so the user decides.
 */
function mayRepeat(e, query, variables) {
  if (!/^\s*mutation\b/.test(query)) return true;
  return Boolean(variables?.input?.idempotencyKey) || e.status === 429;
}

/** Sends the operation once: its data, or an ApiError. */
async function post(token, query, variables) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json',
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query, variables }),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError('NETWORK', e.message, null, 0);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw withoutBody(response);
  }
  const first = body?.errors?.[0];
  if (first) {
    const ext = first.extensions ?? {};
    throw new ApiError(ext.code ?? 'INTERNAL', first.message, ext.field, response.status, {
      retryable: ext.retryable === true,
      retryAfter: retryAfter(response),
    });
  }
  if (!response.ok || !body?.data) throw withoutBody(response);
  return body.data;
}

/**
 * The error for an answer with no GraphQL body: a 401, or a proxy's page.
 * A proxy's 502, 503 or 504 says the hub could not be reached or answered
 * too late, which is UNAVAILABLE as the hub itself would say it: retryable.
 */
function withoutBody(response) {
  const status = response.status;
  if (status === 401) return new ApiError('UNAUTHENTICATED', `HTTP ${status}`, null, status);
  if (status === 429) return new ApiError('RATE_LIMITED', `HTTP ${status}`, null, status, { retryable: true, retryAfter: retryAfter(response) });
  if (GATEWAY.has(status)) return new ApiError('UNAVAILABLE', `HTTP ${status}`, null, status, { retryable: true, retryAfter: retryAfter(response) });
  return new ApiError('INTERNAL', `HTTP ${status}`, null, status);
}

/** Retry-After in seconds (a number of seconds or an HTTP date), or null. */
function retryAfter(response) {
  const value = response.headers.get('Retry-After');
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(seconds, 0);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max((at - Date.now()) / 1000, 0);
}

/** The moment a JWT says it expires (for telling the user; the server decides), or null. */
export function tokenExpiry(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = JSON.parse(atob(part)).exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : null;
  } catch {
    return null;
  }
}
