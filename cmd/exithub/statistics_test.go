package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"exithub"
	"exithub/db/seed"
)

const statisticsQuery = `query($d: Date!, $g: [StatisticsDimension!]) { statistics(asOf: $d, groupBy: $g) {
  personsHelped { value suppressed }
  categories { category courseState track municipality { code } gender persons { value suppressed } } } }`

// The invariant: the national table of any day is exact, small counts
// included, with no course state (that split is a release's).
func TestStatisticsGiveTheMinistersTable(t *testing.T) {
	h := startHub(t)
	d := h.must(h.token("ministry", exithub.RoleAnalyst), statisticsQuery, map[string]any{"d": "2014-03-18"})
	got := map[string]any{}
	for _, r := range get(d, "statistics", "categories").([]any) {
		k := fmt.Sprint(get(r, "category"), "/", get(r, "courseState"), "/", get(r, "track"))
		got[k] = get(r, "persons", "value")
	}
	want := map[string]float64{"CTI/<nil>/EXIT": 11, "CTI/<nil>/LIFE_SITUATION": 29, "ORIENTATION/<nil>/<nil>": 23,
		"ACUTE_SUPPORT/<nil>/<nil>": 13, "REFERRED_ELSEWHERE/<nil>/<nil>": 15}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %v, the minister says %v", k, got[k], v)
		}
	}
	if len(got) != len(want) || get(d, "statistics", "personsHelped", "value") != float64(91) {
		t.Fatalf("rows %v, persons helped %v; want 91", got, get(d, "statistics", "personsHelped"))
	}
}

// The invariant table agrees with an independent count over the raw
// records (the seed's checker) on days across the demo: every category,
// CTI by track, exact, and none the records do not hold.
func TestInvariantsAgreeWithTheRecords(t *testing.T) {
	h := startHub(t)
	tok := h.token("ministry", exithub.RoleAnalyst)
	for _, day := range []string{"2014-03-18", "2014-12-31", "2015-06-30"} {
		raw, err := seed.CountCategories(context.Background(), h.dbURL, day)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) == 0 {
			t.Fatalf("%s: the records hold no one to compare with", day)
		}
		got := map[string]int{}
		for _, r := range get(h.must(tok, statisticsQuery, map[string]any{"d": day}), "statistics", "categories").([]any) {
			k := fmt.Sprint(get(r, "category"))
			if k == "CTI" {
				k += "/" + fmt.Sprint(get(r, "track"))
			}
			v, ok := get(r, "persons", "value").(float64)
			if !ok {
				t.Fatalf("%s: %s has no exact value: %v", day, k, r)
			}
			got[k] += int(v)
		}
		for k, want := range raw {
			if got[k] != want {
				t.Errorf("%s: %s is %d, the records hold %d", day, k, got[k], want)
			}
		}
		for k, n := range got {
			if _, ok := raw[k]; !ok {
				t.Errorf("%s: %s is %d, the records hold none", day, k, n)
			}
		}
	}
}

// lastReleased is the month the server releases last, by the same rule.
func lastReleased() exithub.Month {
	g := exithub.Gate{Privacy: exithub.DefaultPrivacy, Now: time.Now}
	return g.LastReleased()
}

// refused checks a BAD_USER_INPUT naming the argument and the months released.
func refused(t *testing.T, r gqlResponse, field string) {
	t.Helper()
	if r.code() != exithub.EINVALID || r.Errors[0].Extensions["field"] != field ||
		!strings.Contains(r.Errors[0].Message, lastReleased().Last().String()) {
		t.Fatalf("want BAD_USER_INPUT on %s naming the months released: %s", field, r.raw)
	}
}

func TestGroupedStatisticsAreCellsOfAMonthlyRelease(t *testing.T) {
	h := startHub(t)
	tok := h.token("sfi", exithub.RoleAnalyst)
	orgs := h.must(tok, `{ organisations(kind: MUNICIPALITY) { code } }`, nil)
	municipalities := len(get(orgs, "organisations").([]any))
	for _, g := range []struct {
		dim  string
		rows int
	}{{"MUNICIPALITY", 7 * municipalities}, {"HOME_MUNICIPALITY", 7 * municipalities}, {"GENDER", 7 * 4}, {"BIRTH_YEAR_BAND", 7 * 22}} {
		vars := map[string]any{"d": "2014-03-31", "g": []string{g.dim}}
		d := h.must(tok, statisticsQuery, vars)
		rows := get(d, "statistics", "categories").([]any)
		if len(rows) != g.rows {
			t.Errorf("groupBy %s: %d rows; every row of the dimension is published, %d", g.dim, len(rows), g.rows)
		}
		under := 0
		for _, r := range rows {
			v, s := get(r, "persons", "value"), get(r, "persons", "suppressed")
			switch {
			case s == true && v != nil:
				t.Fatalf("a cell under the threshold shows %v", v)
			case s == true:
				under++
			case v.(float64) < 5:
				t.Fatalf("groupBy %s published a noisy cell of %v, under the threshold", g.dim, v)
			}
		}
		if under == 0 {
			t.Errorf("groupBy %s: no cell under the threshold, though most are empty", g.dim)
		}
		again := mustJSON(t, h.must(h.token("ministry", exithub.RoleAnalyst), statisticsQuery, vars))
		if first := mustJSON(t, d); string(first) != string(again) {
			t.Fatalf("groupBy %s: a second request answers otherwise:\n%s\n%s", g.dim, first, again)
		}
	}
	refused(t, h.do(tok, statisticsQuery, map[string]any{"d": "2014-03-18", "g": []string{"MUNICIPALITY"}}), "asOf")
	refused(t, h.do(tok, statisticsQuery, map[string]any{"d": lastReleased().Next().Last().String(), "g": []string{"GENDER"}}), "asOf")
	if r := h.do(tok, statisticsQuery, map[string]any{"d": "2014-03-31", "g": []string{"MUNICIPALITY", "GENDER"}}); r.code() != exithub.EINVALID ||
		r.Errors[0].Extensions["field"] != "groupBy" {
		t.Fatalf("two dimensions: %s", r.raw)
	}
}

// Side figures exist only for released months, as release cells: a
// period is exactly one month, a day is a month's last.
func TestSideFiguresAreCellsOfAMonthlyRelease(t *testing.T) {
	h := startHub(t)
	tok := h.token("ministry", exithub.RoleAnalyst)
	side := `query($d: Date!, $from: Date!, $to: Date!) { statistics(asOf: $d) {
	  coursesStarted(from: $from, to: $to) { kind track courses { value suppressed } }
	  ctiByCourseState { courseState track persons { value suppressed } }
	  referralsByStatus { status referrals { value suppressed } } referralsByNgo { ngo { code } referrals { value suppressed } }
	  outcomes { track outcome courses { value suppressed } } } }`
	d := h.must(tok, side, map[string]any{"d": "2014-06-30", "from": "2014-06-01", "to": "2014-06-30"})
	for field, rows := range map[string]int{"coursesStarted": 4, "ctiByCourseState": 4, "referralsByStatus": 8, "outcomes": 12} {
		if n := len(get(d, "statistics", field).([]any)); n != rows {
			t.Errorf("%s: %d rows, want every row of the table, %d", field, n, rows)
		}
	}
	for _, c := range []struct{ from, to, field string }{{"2014-01-01", "2014-12-31", "to"}, {"2014-06-18", "2014-06-18", "from"},
		{"2014-06-01", "2014-06-29", "to"}, {lastReleased().Next().First().String(), lastReleased().Next().Last().String(), "to"}} {
		refused(t, h.do(tok, `query($f: Date!, $t: Date!) { statistics(asOf: "2014-06-30") { coursesEnded(from: $f, to: $t) { kind } } }`,
			map[string]any{"f": c.from, "t": c.to}), c.field)
	}
	for _, f := range []string{"referralsByStatus { status }", "referralsByNgo { ngo { code } }", "outcomes { track }", "ctiByCourseState { track }"} {
		refused(t, h.do(tok, `{ statistics(asOf: "2014-06-18") { `+f+` } }`, nil), "asOf")
	}
	count := `query($d: Date!) { crossMunicipalAgreementCount(asOf: $d) { value suppressed } }`
	refused(t, h.do(tok, count, map[string]any{"d": "2014-06-18"}), "asOf")
	if c := h.must(tok, count, map[string]any{"d": "2014-06-30"}); get(c, "crossMunicipalAgreementCount", "suppressed") == nil {
		t.Fatalf("the agreement count: %v", c)
	}
	// A municipality counts its own agreements, exactly, for any day.
	if c := h.must(h.token("101", exithub.RoleCaseworker), count, map[string]any{"d": "2030-01-18"}); get(c, "crossMunicipalAgreementCount", "value") == nil {
		t.Fatalf("a municipality's own count: %v", c)
	}
}

func TestMinistryReachesNoPersonalType(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	for _, who := range []struct{ org string }{{"ministry"}, {"socialstyrelsen"}, {"sfi"}} {
		tok := h.token(who.org, exithub.RoleAnalyst)
		for name, q := range map[string]string{
			"referrals":        `{ referrals { edges { node { id } } } }`,
			"referral":         `query($id: ID!) { referral(id: $id) { id } }`,
			"citizens":         `{ citizens { edges { node { id } } } }`,
			"citizen":          `query($id: ID!) { citizen(id: $id) { id } }`,
			"course":           `query($id: ID!) { course(id: $id) { id } }`,
			"cross agreements": `{ crossMunicipalAgreements { id } }`,
		} {
			r := h.do(tok, q, map[string]any{"id": f.referral})
			if r.code() != exithub.EFORBIDDEN {
				t.Errorf("%s: %s answers %s", who.org, name, r.raw)
			}
		}
		for _, id := range []string{f.referral, f.citizenID} {
			r := h.do(tok, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
			if get(r.Data, "node") != nil || r.code() != exithub.EFORBIDDEN {
				t.Errorf("%s: node(%s) answers %s", who.org, id, r.raw)
			}
		}
	}
	ws := dialWS(t, h.url, h.token("ministry", exithub.RoleAnalyst))
	ws.subscribe("1", eventsSubscription)
	m := ws.read(5 * 1e9)
	// graphql-ws carries a refusal as an error message (payload: the
	// errors) or as a result with errors; either way it must be FORBIDDEN.
	code := get(m, "payload", "errors", 0, "extensions", "code")
	if get(m, "type") == "error" {
		code = get(m, "payload", 0, "extensions", "code")
	}
	if code != exithub.EFORBIDDEN {
		t.Fatalf("the ministry's subscription to referral events was not refused as FORBIDDEN: %v", m)
	}
}

func TestRollupsFollowNewRecordsAsTheyArrive(t *testing.T) {
	h := startHub(t)
	analyst := h.token("ministry", exithub.RoleAnalyst)
	cw := h.token("461", exithub.RoleCaseworker)
	count := func() float64 {
		d := h.must(analyst, `{ statistics(asOf: "2030-01-01") { personsHelped { value } categories { category persons { value } } } }`, nil)
		for _, r := range get(d, "statistics", "categories").([]any) {
			if get(r, "category") == "ORIENTATION" {
				return get(r, "persons", "value").(float64)
			}
		}
		return 0
	}
	before := count()
	for i := 0; i < 3; i++ {
		c := h.must(cw, registerMutation, map[string]any{"in": map[string]any{"alias": fmt.Sprint("Ny ", i)}})
		h.must(cw, `mutation($c: ID!) { startCourse(input: {citizenId: $c, kind: ORIENTATION, startedOn: "2029-06-01"}) { id } }`,
			map[string]any{"c": get(c, "registerCitizen", "id")})
	}
	if after := count(); after != before+3 {
		t.Fatalf("orientation went from %v to %v after three new courses", before, after)
	}
}
