// The four panels: what each asks the API and how it draws the answer.
// A panel's fetch takes the token and the chosen day; its render the data.

import { graphql } from '/lib/api.js';
import { copenhagenDay } from '/lib/days.js';
import { perCategory } from './figures.js';
import { formatDate, formatMonthYear, monthEnds, releasedMonthEnd } from './format.js';
import { t } from './i18n.js';
import { renderMoney } from './money.js';
import { renderMunicipalities } from './municipalities.js';
import { FUNDING, MAX_ALIASES, MUNICIPALITIES, TABLE, chunks, trendQuery } from './queries.js';
import { renderTable } from './table.js';
import { renderTrend } from './trend.js';

/** The chart's dates: the end of each month for a year from January 2014. */
export const TREND_DATES = monthEnds('2014-01-31', 13);

/** Statistics at every trend date, in as few requests as the alias limit allows. */
async function fetchTrend(token) {
  const parts = await Promise.all(
    chunks(TREND_DATES, MAX_ALIASES).map(async (dates) => {
      const { query, variables } = trendQuery(dates);
      const data = await graphql(token, query, variables);
      return dates.map((date, i) => ({ date, threshold: data[`p${i}`].threshold, cats: perCategory(data[`p${i}`].categories) }));
    }),
  );
  return parts.flat();
}

export const panels = {
  table: {
    fetch: async (token, asOf) => (await graphql(token, TABLE, { d: asOf })).statistics,
    render: (data) => renderTable(data),
    sub: (asOf) => t('tableSub', { date: formatDate(asOf) }),
  },
  money: {
    fetch: async (token, asOf) => (await graphql(token, FUNDING, { d: asOf })).programme,
    render: (data) => renderMoney(data),
    sub: (asOf, data) => (data ? t('moneySub', { name: data.name, date: formatDate(asOf) }) : ''),
  },
  trend: {
    // The chart covers a fixed year; only its marker follows the chosen day.
    daily: false,
    fetch: (token) => fetchTrend(token),
    render: (data, asOf) => renderTrend(data, asOf),
    sub: () => t('trendSub', { from: formatDate(TREND_DATES[0]), to: formatDate(TREND_DATES.at(-1)) }),
  },
  muni: {
    // Breakdowns exist per released month: the last month ending on or
    // before the day that the hub releases by today.
    fetch: async (token, asOf) => (await graphql(token, MUNICIPALITIES, { d: releasedMonthEnd(asOf, copenhagenDay()) })).statistics,
    render: (data) => renderMunicipalities(data),
    sub: (asOf, data) => {
      const end = releasedMonthEnd(asOf, copenhagenDay());
      return t('muniSub', { month: formatMonthYear(end), date: formatDate(end), n: data?.threshold ?? 5 });
    },
  },
};
