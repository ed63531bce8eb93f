// Subscribes with the graphql-ws reference client to WS_URL (token in
// connection_init), retrying WS_RETRIES times at once rather than after
// its backoff, and prints one JSON line per event: {"event":"connecting"},
// {"event":"connected"}, {"event":"closed","code":…,"reason":…},
// {"event":"next",…}, and at the end {"event":"error","code":…,"reason":…}
// (what the client reports to the application), then exits. Without an
// error in WS_TIMEOUT_MS (default 20000), it prints {"event":"timeout"}:
// a client that keeps reconnecting never reports.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const print = (o) => console.log(JSON.stringify(o));
const client = createClient({
  url: process.env.WS_URL,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: process.env.WS_AUTH },
  retryAttempts: Number(process.env.WS_RETRIES ?? 0),
  retryWait: async () => {},
  on: {
    connecting: () => print({ event: 'connecting' }),
    connected: () => print({ event: 'connected' }),
    closed: (e) => print({ event: 'closed', code: e.code, reason: e.reason }),
  },
});
const timer = setTimeout(() => { print({ event: 'timeout' }); process.exit(2); }, Number(process.env.WS_TIMEOUT_MS ?? 20000));
client.subscribe(
  { query: process.env.WS_QUERY },
  {
    next: (data) => print({ event: 'next', data }),
    error: (err) => {
      print({ event: 'error', code: err?.code ?? null, reason: err?.reason ?? String(err) });
      clearTimeout(timer);
      client.dispose();
      process.exit(0);
    },
    complete: () => { print({ event: 'complete' }); clearTimeout(timer); process.exit(0); },
  },
);
