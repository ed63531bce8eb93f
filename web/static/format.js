// Numbers, money and dates as the current language writes them. Money is
// computed in integer øre (BigInt) from the API's decimal strings: a float
// would turn "32750000.00" into 32.74999… and round it the wrong way.

import { addDate, endOfMonth, endOfPreviousMonth } from '/lib/days.js';
import { entry, fill } from './i18n.js';

/** "1234567" → "1.234.567" (Danish) or "1,234,567" (English). */
export function groupDigits(digits) {
  const sep = entry('group');
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += sep;
    out += digits[i];
  }
  return out;
}

/** A count of persons. */
export function formatCount(n) {
  const sign = n < 0 ? '−' : '';
  return sign + groupDigits(String(Math.abs(Math.trunc(n))));
}

/** A percentage with no decimals, e.g. "71 %". */
export function formatPercent(fraction) {
  return fill(entry('percent'), { n: Math.round(fraction * 100) });
}

/**
 * Parses a Money string ("46000000.00", at most two decimals, optional
 * minus) into øre as a BigInt. Anything else is an error, never a guess.
 */
export function parseOre(money) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(money));
  if (!m) throw new Error(`not a Money value: ${money}`);
  const ore = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -ore : ore;
}

/** Rounds a/b to the nearest integer, halves away from zero (BigInt). */
function divRound(a, b) {
  const neg = a < 0n;
  const abs = neg ? -a : a;
  const q = (abs * 2n + b) / (2n * b);
  return neg ? -q : q;
}

/** A BigInt of tenths as "32,8". */
function tenths(value) {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const text = groupDigits(String(abs / 10n)) + entry('decimal') + String(abs % 10n);
  return (neg && abs !== 0n ? '−' : '') + text;
}

/** Millions with one decimal, no unit: "32,8". */
export function formatMioNumber(money) {
  return tenths(divRound(parseOre(money), 10_000_000n));
}

/** Millions of kroner with one decimal: "32,8 mio. kr." / "DKK 32.8m". */
export function formatMio(money) {
  return fill(entry('mio'), { n: formatMioNumber(money) });
}

/** The exact amount: "32.800.000,00 kr." / "DKK 32,800,000.00". */
export function formatKroner(money) {
  const ore = parseOre(money);
  const abs = ore < 0n ? -ore : ore;
  const n = groupDigits(String(abs / 100n)) + entry('decimal') + String(abs % 100n).padStart(2, '0');
  return fill(entry('kroner'), { n: (ore < 0n ? '−' : '') + n });
}

/** The fraction part/whole of two Money values, for drawing only. */
export function moneyShare(part, whole) {
  const w = parseOre(whole);
  if (w === 0n) return 0;
  // Scaled to parts per million in BigInt first, so that large amounts stay exact.
  return Number((parseOre(part) * 1_000_000n) / w) / 1_000_000;
}

/** "2014-03-18" → "18. marts 2014" / "18 March 2014". */
export function formatDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return fill(entry('longDate'), { d, month: entry('months')[m - 1], y });
}

/** "2014-03-31" → "mar." / "Mar". */
export function formatMonth(iso) {
  return entry('monthsShort')[Number(iso.slice(5, 7)) - 1];
}

/** The month and year of a day, e.g. "februar 2014". */
export function formatMonthYear(iso) {
  return `${entry('months')[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
}

/**
 * Days after a month's last day before its release may be read: the hub's
 * exithub.DefaultPrivacy.GraceDays (privacy.go), applied in
 * Gate.LastReleased (gate.go). The schema does not expose it, so it is
 * written here a second time; TestDashboardPicksTheReleasedMonth checks the
 * two agree, for this number and for the rule.
 */
export const RELEASE_GRACE_DAYS = 10;

/**
 * The last day of the latest month that ends on or before asOf and is
 * released by today (a day in Copenhagen, as the hub counts): the day
 * itself at a month's end, else the end of the month before, but never a
 * month the hub does not release yet.
 */
export function releasedMonthEnd(asOf, today) {
  const end = endOfMonth(asOf) === asOf ? asOf : endOfPreviousMonth(asOf);
  const released = lastReleasedMonthEnd(today);
  return end < released ? end : released;
}

/**
 * The last day of the latest released month, as Gate.LastReleased finds
 * it: from the month before today's, back while today less the grace
 * period is not after the month's last day.
 */
export function lastReleasedMonthEnd(today) {
  const cutoff = addDate(today, 0, 0, -RELEASE_GRACE_DAYS);
  let end = endOfPreviousMonth(today);
  while (!(cutoff > end)) end = endOfPreviousMonth(end);
  return end;
}

/** The last day of count consecutive months, from the month of start. */
export function monthEnds(start, count) {
  const [y, m] = start.split('-').map(Number);
  const out = [];
  for (let i = 0; i < count; i++) {
    // Day 0 of the next month is the last day of this one.
    const d = new Date(Date.UTC(y, m - 1 + i + 1, 0));
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** Days since the epoch of an ISO date, for placing dates on an axis. */
export function dayNumber(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}
