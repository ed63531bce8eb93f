// The dashboard and the app are ordinary clients of /graphql: a POST with
// the user's bearer token, nothing the server would not answer to any other
// client. The token travels in the header; no cookie is wanted or sent.

/** An error the API answered with: extensions.code and extensions.field. */
export class ApiError extends Error {
  constructor(code, message, field, status) {
    super(message || code);
    this.name = 'ApiError';
    this.code = code;
    this.field = field ?? null;
    this.status = status;
  }
}

/** Runs one operation and returns its data; the first error in the answer throws. */
export async function graphql(token, query, variables = {}) {
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
    throw new ApiError(response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL', `HTTP ${response.status}`, null, response.status);
  }
  const first = body?.errors?.[0];
  if (first) {
    const ext = first.extensions ?? {};
    throw new ApiError(ext.code ?? 'INTERNAL', first.message, ext.field, response.status);
  }
  if (!response.ok || !body?.data) throw new ApiError('INTERNAL', `HTTP ${response.status}`, null, response.status);
  return body.data;
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
