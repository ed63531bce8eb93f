// Element builders, shared by the dashboard and the app. Views build nodes
// and set text, never innerHTML, so a name or a note that comes from the API
// cannot become markup.

const SVG = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: el('td', { class: 'num' }, '11'); on* attributes that are functions become listeners. */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, in the SVG namespace. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG, tag), attrs, children);
}

/** Replaces the children of a node. */
export function replace(node, ...children) {
  node.replaceChildren();
  return build(node, {}, children);
}

let ids = 0;
/** A fresh id for a label's for=. */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}
