// The CPR number checked as the API checks it (exithub.ParseCPR): 10 digits,
// optionally DDMMYY-SSSS, the first six a real date with the century from
// the seventh digit; no modulus-11 check (not guaranteed since 2007). The
// server checks again; this only saves a round trip.

/** null when valid, else 'cprInvalid' or 'cprDate' (keys of the dictionary). */
export function cprProblem(raw) {
  let s = raw.trim();
  if (s.length === 11 && s[6] === '-') s = s.slice(0, 6) + s.slice(7);
  if (!/^\d{10}$/.test(s)) return 'cprInvalid';
  const d = Number(s.slice(0, 2));
  const m = Number(s.slice(2, 4));
  const yy = Number(s.slice(4, 6));
  const y = yy + century(s[6], yy);
  const date = new Date(Date.UTC(y, m - 1, d));
  const ok = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return ok ? null : 'cprDate';
}

function century(digit7, yy) {
  if (digit7 <= '3') return 1900;
  if (digit7 === '4' || digit7 === '9') return yy <= 36 ? 2000 : 1900;
  return yy <= 57 ? 2000 : 1800;
}
