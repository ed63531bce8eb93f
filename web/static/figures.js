// Shapes the API's statistics rows into what the views draw. Pure functions
// of the data: no DOM, no language.

export const CATEGORIES = ['CTI', 'ORIENTATION', 'ACUTE_SUPPORT', 'REFERRED_ELSEWHERE'];
export const TRACKS = ['EXIT', 'LIFE_SITUATION'];
export const STATES = ['OPEN', 'ENDED'];

/**
 * A row's key: "CTI/OPEN/EXIT" for CTI (always split by state and track),
 * the category alone otherwise.
 */
export function rowKey(row) {
  return row.category === 'CTI' ? `CTI/${row.courseState}/${row.track}` : row.category;
}

/** The order rows are shown in: categories in the counting order, CTI parts first. */
export const ROW_ORDER = [
  ...STATES.flatMap((s) => TRACKS.map((t) => `CTI/${s}/${t}`)),
  'ORIENTATION',
  'ACUTE_SUPPORT',
  'REFERRED_ELSEWHERE',
];

export function byRowOrder(a, b) {
  return ROW_ORDER.indexOf(a) - ROW_ORDER.indexOf(b);
}

/**
 * Adds cells up. Published values are summed; if some part is suppressed
 * the sum is only a lower bound (partial), and if every part is suppressed
 * so is the sum. The parts are never worked out from other figures: that
 * would undo the suppression.
 */
export function combine(cells) {
  const published = cells.filter((c) => !c.suppressed);
  if (cells.length > 0 && published.length === 0) return { value: null, suppressed: true, partial: false };
  return {
    value: published.reduce((s, c) => s + c.value, 0),
    suppressed: false,
    partial: published.length < cells.length,
  };
}

/**
 * The minister's table: CTI in all, each track and under it each course
 * state present, then the other categories. Each line: { key, level, label
 * keys, cell }.
 */
export function tableLines(categories) {
  const cti = categories.filter((r) => r.category === 'CTI');
  const lines = [{ key: 'CTI', level: 0, labels: ['CTI'], cell: combine(cti.map((r) => r.persons)) }];
  for (const track of TRACKS) {
    const rows = cti.filter((r) => r.track === track);
    if (rows.length === 0) continue;
    lines.push({ key: `CTI/${track}`, level: 1, labels: [track], cell: combine(rows.map((r) => r.persons)) });
    for (const state of STATES) {
      const row = rows.find((r) => r.courseState === state);
      if (row) lines.push({ key: `CTI/${state}/${track}`, level: 2, labels: [state], cell: { ...row.persons } });
    }
  }
  for (const category of CATEGORIES.slice(1)) {
    const row = categories.find((r) => r.category === category);
    lines.push({ key: category, level: 0, labels: [category], cell: row ? { ...row.persons } : { value: 0, suppressed: false } });
  }
  return lines;
}

/** Persons per category (CTI combined) of one day's rows. */
export function perCategory(categories) {
  return Object.fromEntries(
    CATEGORIES.map((c) => {
      const cells = categories.filter((r) => r.category === c).map((r) => r.persons);
      return [c, cells.length ? combine(cells) : { value: 0, suppressed: false, partial: false }];
    }),
  );
}

/**
 * The grouped rows by municipality: [{ code, name, cells: { key: cell } }]
 * sorted by code, plus the row keys present anywhere, in ROW_ORDER.
 */
export function byMunicipality(categories) {
  const munis = new Map();
  const keys = new Set();
  for (const r of categories) {
    if (!r.municipality) continue;
    const m = munis.get(r.municipality.code) ?? { code: r.municipality.code, name: r.municipality.name, cells: {} };
    m.cells[rowKey(r)] = r.persons;
    keys.add(rowKey(r));
    munis.set(m.code, m);
  }
  return {
    municipalities: [...munis.values()].sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true })),
    keys: [...keys].sort(byRowOrder),
  };
}
