// Runs every graphql-http server audit against AUDIT_URL, sending
// AUDIT_AUTH (when set) as the Authorization header, and prints one JSON
// line per result: {id, name, status, reason}. Exits non-zero if any audit
// is not "ok": a warning or a notice counts as a failure.
import { serverAudits } from 'graphql-http';

const url = process.env.AUDIT_URL;
if (!url) {
  console.error('AUDIT_URL is not set');
  process.exit(2);
}
const auth = process.env.AUDIT_AUTH;
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (auth) headers.set('Authorization', auth);
  return fetch(input, { ...init, headers });
};

let failed = 0;
for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  if (result.status !== 'ok') failed++;
  console.log(JSON.stringify({
    id: audit.id,
    name: audit.name,
    status: result.status,
    reason: result.status === 'ok' ? '' : result.reason,
  }));
}
process.exit(failed ? 1 : 0);
