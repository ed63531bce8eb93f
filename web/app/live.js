// The referralEvents subscription over graphql-transport-ws, with the
// graphql-ws client (vendor/graphql-ws.min.js, pinned in web/npm).
//
// The stream breaks in two ways, and after either the current view is
// loaded again, which shows what changed meanwhile:
// - the socket drops: the client reconnects by itself and subscribes again;
// - the hub ends the subscription with a retryable error (it lost its feed
//   of changes, or this subscriber fell behind; see the README's
//   Subscriptions). The socket stays open and graphql-ws does not subscribe
//   again after an error message, so this module does.
// Both wait with backoff and jitter. The view is loaded rather than the
// events replayed with referralEvents(since:): a replay repeats what came
// just before the gap, and a repeated note cannot be told from a new one
// (a note leaves the referral's version as it was), so the app would
// announce old changes as new.
//
// A token the hub refuses (close code 4403) is not retried: it would be
// refused again; the app signs the user out instead.
//
// window.exithubLive lets a person (or a test) drop the socket and hold the
// reconnect, to see the catch-up happen.

const EVENTS = `subscription Events { referralEvents { kind referral { id status version from { name } } } }`;

/** graphql-transport-ws's close code for a refused token. */
export const FORBIDDEN = 4403;
// A subscription that lived this long was working: its end starts the backoff afresh.
const HELD_MS = 5000;

/**
 * The milliseconds to wait before retry number retries (from 0): a ceiling
 * doubling from 500 ms up to 10 s, and a random wait in its upper half, so
 * that the tabs the hub let go of at once do not all come back at once.
 */
export function backoff(retries) {
  const ceiling = Math.min(500 * 2 ** retries, 10000);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Whether the stream's error message says to subscribe again (the errors carry extensions.retryable). */
function retryable(errors) {
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => e?.extensions?.retryable === true);
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts listening. handlers: event(e); state('connecting'|'connected'|
 * 'closed' (will retry)|'stopped' (will not)); caughtUp() once listening
 * again after a break; refused() when the hub refused the token (4403);
 * closed(event) on every other close.
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
    shouldRetry: (e) => e?.code !== FORBIDDEN,
    retryWait: async (retries) => {
      if (held) await held;
      await wait(backoff(retries));
    },
    // The client gave up (a close it may not retry); closed() has said why.
    onNonLazyError: () => handlers.state('stopped'),
    on: {
      connecting: () => handlers.state('connecting'),
      connected: (_socket, _payload, wasRetry) => {
        handlers.state('connected');
        if (wasRetry) handlers.caughtUp();
      },
      closed: (event) => {
        handlers.state('closed');
        if (event?.code === FORBIDDEN) handlers.refused(event);
        else handlers.closed(event);
      },
    },
  });
  const stopEvents = subscribe(client, handlers);
  const live = {
    stop() {
      stopEvents();
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

/**
 * Subscribes to the events, and again, after a backoff, whenever the hub
 * ends the subscription with a retryable error; returns the stop.
 */
function subscribe(client, handlers) {
  let retries = 0;
  let timer = 0;
  let stop = () => {};
  const start = () => {
    const began = Date.now();
    stop = client.subscribe(
      { query: EVENTS },
      {
        next: (msg) => msg.data && handlers.event(msg.data.referralEvents),
        error: (err) => {
          if (!retryable(err)) return handlers.state('stopped');
          handlers.state('closed');
          if (Date.now() - began >= HELD_MS) retries = 0;
          timer = setTimeout(again, backoff(retries++));
        },
        // The hub completes a subscription only when this end stops it.
        complete: () => {},
      },
    );
  };
  const again = () => {
    start();
    handlers.state('connected');
    // Subscribed first, then loaded: a change after the hub took the new
    // subscription comes as an event, one before it is in the view; only
    // one in the instant between the view's read and the hub taking the
    // subscription would wait for the next event or reload.
    handlers.caughtUp();
  };
  start();
  return () => {
    clearTimeout(timer);
    stop();
  };
}
