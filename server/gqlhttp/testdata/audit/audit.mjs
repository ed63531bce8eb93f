// Runs every graphql-http server audit against AUDIT_URL, sending
// AUDIT_AUTH as the Authorization header, and prints one JSON line per
// result. Exits non-zero if any audit is not "ok": a warning counts.
import { serverAudits } from 'graphql-http';

const url = process.env.AUDIT_URL;
const auth = process.env.AUDIT_AUTH;
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (auth) headers.set('Authorization', auth);
  return fetch(input, { ...init, headers });
};

let failed = 0;
for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  const line = { id: audit.id, name: audit.name, status: result.status };
  if (result.status !== 'ok') {
    failed++;
    line.reason = result.reason;
  }
  console.log(JSON.stringify(line));
}
process.exit(failed ? 1 : 0);
