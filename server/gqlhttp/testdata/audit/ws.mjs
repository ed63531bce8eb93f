// Subscribes with the graphql-ws reference client to WS_URL (token in
// connection_init), signals readiness on stdout, and prints the first
// event as JSON, then exits.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const client = createClient({
  url: process.env.WS_URL,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: process.env.WS_AUTH },
  retryAttempts: 0,
});
const timer = setTimeout(() => { console.error('no event in time'); process.exit(2); }, 20000);
client.subscribe(
  { query: process.env.WS_QUERY },
  {
    next: (event) => { console.log(JSON.stringify(event)); clearTimeout(timer); client.dispose(); process.exit(0); },
    error: (err) => { console.error(JSON.stringify(err)); process.exit(1); },
    complete: () => {},
  },
);
client.on('connected', () => console.log('connected'));
