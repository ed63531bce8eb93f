// The dashboard is an ordinary client of /graphql: a POST with the user's
// bearer token, nothing the server would not answer to any other client.

/** An error the API answered with, carrying its extensions.code. */
export class ApiError extends Error {
  constructor(code, message, status) {
    super(message || code);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/**
 * Runs one GraphQL operation and returns its data. Any error in the answer
 * throws: a figure the analyst cannot trust is worse than a message.
 */
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
      // The token travels in the header; no cookie is wanted or sent.
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError('NETWORK', e.message, 0);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL', `HTTP ${response.status}`, response.status);
  }
  const first = body?.errors?.[0];
  if (first) {
    throw new ApiError(first.extensions?.code ?? 'INTERNAL', first.message, response.status);
  }
  if (!response.ok || !body?.data) {
    throw new ApiError('INTERNAL', `HTTP ${response.status}`, response.status);
  }
  return body.data;
}
