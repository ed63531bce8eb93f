// Keeping the user's place across a redraw. Drawing a view again (a live
// event, a reload after a form was sent) replaces its nodes, and focus on a
// removed node falls to <body>: a keyboard or screen reader user would
// start again from the top. So the focused element is described before
// the redraw in terms that survive it, and focus is put back on its
// counterpart, or, when that is gone (the form of a step already taken),
// on the heading of its section, or the page's.

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';
// The things a page lists, by their ids in the data: a row or item keeps
// its data-* id across a redraw, while element ids are drawn afresh.
const ITEM = '[data-referral], [data-course], [data-consent]';

/** Where focus is, described so that it can be found after a redraw; null when nowhere in particular. */
export function focusSpot() {
  const a = document.activeElement;
  if (!a || a === document.body || a === document.documentElement) return null;
  const sig = signature(a);
  return {
    id: a.id || null,
    sig,
    nth: alike(sig).indexOf(a),
    section: a.closest('section[aria-labelledby]')?.getAttribute('aria-labelledby') ?? null,
  };
}

/** Puts focus back where focusSpot saw it, unless it is still on a node the redraw kept. */
export function restoreFocus(spot) {
  if (!spot) return;
  const a = document.activeElement;
  if (a && a !== document.body && a.isConnected) return;
  const byId = spot.id ? document.getElementById(spot.id) : null;
  const same = alike(spot.sig);
  const target = (byId && signature(byId) === spot.sig ? byId : null) ?? same[spot.nth] ?? same[0] ?? heading(spot.section);
  if (!target) return;
  if (!target.matches(FOCUSABLE)) target.tabIndex = -1;
  target.focus();
}

/** The heading of a section by its id, else the page's. */
function heading(id) {
  return (id && document.getElementById(id)) || document.querySelector('main h1');
}

/** What an element is, in terms a redraw keeps: its kind, name, target, action, form and item. */
function signature(n) {
  return [
    n.tagName,
    n.getAttribute('name'),
    n.getAttribute('type'),
    n.type === 'checkbox' ? n.value : null,
    n.getAttribute('href'),
    n.dataset.action,
    n.closest('form')?.dataset.form,
    itemOf(n),
  ].join('|');
}

function itemOf(n) {
  const item = n.closest(ITEM);
  if (!item) return '';
  return ['referral', 'course', 'consent'].map((k) => item.dataset[k] ?? '').join('/');
}

/** The elements of the page that match a signature, in document order. */
function alike(sig) {
  return [...document.querySelectorAll(FOCUSABLE)].filter((n) => signature(n) === sig);
}
