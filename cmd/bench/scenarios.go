package main

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// inboxQuery is the NGO inbox exactly as cmd/exithub's BenchmarkInbox
// reads it: a page of 20 with organisations and history.
const inboxQuery = `{ referrals(first: 20) { edges { node { id status from { code } to { code } history { to actor } } } } }`

// statisticsQuery is the ministry dashboard's table (web/static/queries.js,
// TABLE), the query it sends whenever the chosen day changes.
const statisticsQuery = `query DashboardTable($d: Date!) {
  statistics(asOf: $d) {
    threshold
    personsHelped { value suppressed }
    categories { category courseState track persons { value suppressed } }
  }
}`

// inbox reads the first page of the inbox, each request as the next NGO.
func inbox(at *endpoints, ngos []principal) scenario {
	body := gqlBody(inboxQuery, nil)
	var next atomic.Uint64
	return scenario{Name: "inbox", Targeter: func(t *vegeta.Target) error {
		fill(t, at.pick(), ngos[(next.Add(1)-1)%uint64(len(ngos))], body)
		return nil
	}}
}

// statisticsFrom and statisticsDays bound the random asOf: the programme's
// decade, over which the national seed spreads its data.
var statisticsFrom = time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)

const statisticsDays = 4018 // 2014-01-01 through 2024-12-31

// randomDay is a day between 2014-01-01 and 2024-12-31.
func randomDay() string {
	return statisticsFrom.AddDate(0, 0, rand.IntN(statisticsDays)).Format(time.DateOnly)
}

// groupedMonthQuery is a closed month's figures by serving municipality, as
// a monthly release asks for them.
const groupedMonthQuery = `query MonthByMunicipality($d: Date!) {
  statistics(asOf: $d, groupBy: [MUNICIPALITY]) {
    categories { category courseState track municipality { code } persons { value suppressed } }
  }
}`

// statisticsMonths is how many months the grouped request draws from:
// spread over the decade, each one's release computed before the runs
// (seconds each at scale 0.1, a minute at scale 1), so that the grouped
// reads vary without the setup computing every month of ten years.
const statisticsMonths = 12

// closedMonthEnd is the last day of a random one of the closed months
// closedMonthEnds lists.
func closedMonthEnd() string { return closedMonthEnds()[rand.IntN(statisticsMonths)] }

// closedMonthEnds are the last days of statisticsMonths months spread over
// the programme's decade, all of them closed.
func closedMonthEnds() []string {
	out := make([]string, statisticsMonths)
	for i := range out {
		first := statisticsFrom.AddDate(0, 1+i*(statisticsDays/31)/statisticsMonths, 0)
		out[i] = first.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return out
}

// statistics asks, in turn, the dashboard's table as of a random day (so a
// cache of one day's answer would not flatter the hub) and a closed month
// grouped by municipality.
func statistics(at *endpoints, analyst principal) scenario {
	var next atomic.Uint64
	return scenario{Name: "statistics", Targeter: func(t *vegeta.Target) error {
		body := gqlBody(statisticsQuery, map[string]any{"d": randomDay()})
		if next.Add(1)%2 == 0 {
			body = gqlBody(groupedMonthQuery, map[string]any{"d": closedMonthEnd()})
		}
		fill(t, at.pick(), analyst, body)
		return nil
	}}
}

// share is a scenario's part of a mix, in percent.
type share struct {
	Percent int
	Of      scenario
}

// mix draws each request from one of the scenarios by their shares, which
// must add up to 100.
func mix(shares ...share) scenario {
	total := 0
	for _, s := range shares {
		total += s.Percent
	}
	if total != 100 {
		panic(fmt.Sprintf("mix shares add up to %d, not 100", total))
	}
	s := scenario{Name: "mix", Targeter: func(t *vegeta.Target) error {
		n := rand.IntN(100)
		for _, s := range shares {
			if n < s.Percent {
				return s.Of.Targeter(t)
			}
			n -= s.Percent
		}
		return nil
	}}
	s.Seen = func(r *vegeta.Result) {
		for _, sh := range shares {
			if sh.Of.Seen != nil {
				sh.Of.Seen(r)
			}
		}
	}
	return s
}
