// Days as the hub counts them. A moment becomes a day in Copenhagen
// (exithub.Copenhagen in date.go), whatever zone the browser is in, so a
// default date in a form and the released months of the dashboard are the
// days the hub will check them against. Days are "YYYY-MM-DD" strings, which
// compare in calendar order.

const COPENHAGEN = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The day a moment falls on in Copenhagen; now by default. */
export function copenhagenDay(at = new Date()) {
  const part = Object.fromEntries(COPENHAGEN.formatToParts(at).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day}`;
}

/**
 * A day moved by whole years, months and days, as Go's AddDate moves it
 * (31 March plus a month is 1 May). The arithmetic is on the calendar in
 * UTC, where no day is shorter than another.
 */
export function addDate(day, years, months, days) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y + years, m - 1 + months, d + days)).toISOString().slice(0, 10);
}

/** The last day of the month before the day's. */
export function endOfPreviousMonth(day) {
  const [y, m] = day.split('-').map(Number);
  // Day 0 of a month is the last day of the one before.
  return new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
}

/** The last day of the day's month. */
export function endOfMonth(day) {
  return endOfPreviousMonth(addDate(day.slice(0, 8) + '01', 0, 1, 0));
}
