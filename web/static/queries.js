// The operations the dashboard sends. Named, so the server's metrics and
// audit trail say which panel asked.

export const ME = `query DashboardMe { me { sub role organisation { code name } } }`;

export const TABLE = `query DashboardTable($d: Date!) {
  statistics(asOf: $d) {
    threshold
    personsHelped { value suppressed }
    categories { category courseState track persons { value suppressed } }
  }
}`;

export const MUNICIPALITIES = `query DashboardMunicipalities($d: Date!) {
  statistics(asOf: $d, groupBy: [MUNICIPALITY]) {
    threshold
    categories { category courseState track municipality { code name } persons { value suppressed } }
  }
}`;

export const FUNDING = `query DashboardFunding($d: Date!) {
  programme(code: "EXIT_PROSTITUTION") {
    name
    frame
    funding(asOf: $d) {
      frame granted disbursed notGranted
      byBudgetLine { budgetLine { code name earmark } granted disbursed notGranted }
    }
  }
}`;

// The server refuses more than 30 aliases in one document; staying well
// below leaves room should it be configured lower.
export const MAX_ALIASES = 20;

/**
 * One operation asking statistics for each date under its own alias
 * (p0, p1, …), for dates.length ≤ MAX_ALIASES. Variables: { d0: date, … }.
 */
export function trendQuery(dates) {
  if (dates.length > MAX_ALIASES) throw new Error('too many dates for one query');
  const vars = dates.map((_, i) => `$d${i}: Date!`).join(', ');
  const fields = dates.map((_, i) => `  p${i}: statistics(asOf: $d${i}) { ...TrendPoint }`).join('\n');
  return {
    query: `query DashboardTrend(${vars}) {\n${fields}\n}
fragment TrendPoint on Statistics { threshold categories { category persons { value suppressed } } }`,
    variables: Object.fromEntries(dates.map((d, i) => [`d${i}`, d])),
  };
}

/** Splits a list into chunks of at most size items. */
export function chunks(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
