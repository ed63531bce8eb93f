// The referralEvents subscription over graphql-transport-ws, with the
// graphql-ws client (vendor/graphql-ws.min.js, pinned in web/npm). The
// client reconnects by itself; after a reconnect the current view is
// loaded again, since events sent while the socket was down are not
// replayed. window.exithubLive lets a person (or a test) drop the socket
// and hold the reconnect, to see the catch-up happen.

const EVENTS = `subscription Events { referralEvents { kind referral { id status version from { name } } } }`;

/**
 * Starts listening. handlers: event(e), state('connecting'|'connected'|'closed'),
 * caughtUp() after a reconnect, closed(event) on every close.
 */
export function startLive(token, handlers) {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  let held = null;
  let release = null;
  const client = globalThis.graphqlWs.createClient({
    url,
    lazy: false,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      if (held) await held;
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 10000)));
    },
    on: {
      connecting: () => handlers.state('connecting'),
      connected: (_socket, _payload, wasRetry) => {
        handlers.state('connected');
        if (wasRetry) handlers.caughtUp();
      },
      closed: (event) => {
        handlers.state('closed');
        handlers.closed(event);
      },
    },
  });
  const stop = client.subscribe(
    { query: EVENTS },
    {
      next: (msg) => msg.data && handlers.event(msg.data.referralEvents),
      error: () => handlers.state('closed'),
      complete: () => {},
    },
  );
  const live = {
    stop() {
      stop();
      client.dispose();
      if (globalThis.exithubLive === live) delete globalThis.exithubLive;
    },
    /** Drops the socket and holds the reconnect until resume(). */
    drop() {
      held = new Promise((resolve) => (release = resolve));
      client.terminate();
    },
    resume() {
      held = null;
      release?.();
    },
  };
  globalThis.exithubLive = live;
  return live;
}
