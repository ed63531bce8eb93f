package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db/seed"
)

const statisticsQuery = `query($d: Date!, $g: [StatisticsDimension!]) { statistics(asOf: $d, groupBy: $g) {
  personsHelped { value suppressed }
  categories { category courseState track municipality { code } gender persons { value suppressed } } } }`

func TestStatisticsGiveTheMinistersTable(t *testing.T) {
	h := startHub(t)
	d := h.must(h.token("ministry", exithub.RoleAnalyst), statisticsQuery, map[string]any{"d": "2014-03-18"})
	got := map[string]any{}
	for _, r := range get(d, "statistics", "categories").([]any) {
		k := fmt.Sprint(get(r, "category"), "/", get(r, "courseState"), "/", get(r, "track"))
		got[k] = get(r, "persons", "value")
	}
	want := map[string]float64{"CTI/OPEN/EXIT": 11, "CTI/OPEN/LIFE_SITUATION": 29, "ORIENTATION/<nil>/<nil>": 23,
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

func TestGroupedStatisticsPublishNoSmallCell(t *testing.T) {
	h := startHub(t)
	tok := h.token("sfi", exithub.RoleAnalyst)
	for _, g := range [][]string{{"MUNICIPALITY"}, {"MUNICIPALITY", "GENDER"}, {"HOME_MUNICIPALITY"}, {"BIRTH_YEAR_BAND"}} {
		d := h.must(tok, statisticsQuery, map[string]any{"d": "2014-03-18", "g": g})
		suppressed := 0
		for _, r := range get(d, "statistics", "categories").([]any) {
			v, s := get(r, "persons", "value"), get(r, "persons", "suppressed")
			if s == true {
				suppressed++
				if v != nil {
					t.Fatalf("a suppressed cell shows %v", v)
				}
			} else if n := v.(float64); n > 0 && n < 5 {
				t.Fatalf("groupBy %v published a cell of %v persons", g, n)
			}
		}
		if g[0] == "MUNICIPALITY" && suppressed == 0 {
			t.Fatalf("groupBy %v suppressed nothing: the demo has small municipal cells", g)
		}
	}
}

// The figures beside the table, checked against SQL over the raw records.
func TestStatisticsFiguresMatchTheRawRecords(t *testing.T) {
	h := startHub(t)
	q := `{ statistics(asOf: "2015-06-30") { coursesStarted(from: "2014-01-01", to: "2014-12-31") { kind track courses { value suppressed } }
	  referralsByStatus { status referrals { value suppressed } } referralsByNgo { ngo { code } referrals { value } } } }`
	d := h.must(h.token("ministry", exithub.RoleAnalyst), q, nil)
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var started, ngoRefs int
	conn.QueryRow(context.Background(), `SELECT count(*) FROM hub.courses WHERE started_on BETWEEN '2014-01-01' AND '2014-12-31'`).Scan(&started)
	conn.QueryRow(context.Background(), `SELECT count(*) FROM hub.referrals WHERE ngo_id IS NOT NULL AND created_at < '2015-07-01'`).Scan(&ngoRefs)
	sum := func(path string, field string) (n int, hidden int) {
		for _, r := range get(d, "statistics", path).([]any) {
			if v, ok := get(r, field, "value").(float64); ok {
				n += int(v)
			} else {
				hidden++
			}
		}
		return
	}
	got, hidden := sum("coursesStarted", "courses")
	if got > started || (hidden == 0 && got != started) || got < started-4*hidden {
		t.Fatalf("coursesStarted sum to %d (+%d suppressed); the records hold %d", got, hidden, started)
	}
	byNGO, _ := sum("referralsByNgo", "referrals")
	var outside int
	conn.QueryRow(context.Background(), `SELECT count(*) FROM hub.referrals WHERE ngo_id IS NULL AND created_at < '2015-07-01'`).Scan(&outside)
	if byNGO != ngoRefs+outside && byNGO != ngoRefs {
		t.Fatalf("referrals by NGO sum to %d; the records hold %d (+%d outside the hub)", byNGO, ngoRefs, outside)
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
			if get(r.Data, "node") != nil || (len(r.Errors) > 0 && r.code() != exithub.EFORBIDDEN) {
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

// Every figure beside the table, against SQL over the raw records, on a day
// when courses have ended and referrals are in every state.
func TestStatisticsAgreeWithTheRecords(t *testing.T) {
	h := startHub(t)
	day := "2015-06-30"
	q := `query($d: Date!) { statistics(asOf: $d) { categories { category courseState track persons { value suppressed } }
	  coursesEnded(from: "2014-01-01", to: "2015-06-30") { kind track courses { value suppressed } }
	  referralsByStatus { status referrals { value suppressed } }
	  outcomes { track outcome courses { value suppressed } } } }`
	d := h.must(h.token("ministry", exithub.RoleAnalyst), q, map[string]any{"d": day})
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	sqlCount := func(sql string, args ...any) int {
		var n int
		if err := conn.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	check := func(what string, row any, field string, want int) {
		v, ok := get(row, field, "value").(float64)
		switch {
		case want > 0 && want < 5 && get(row, field, "suppressed") != true:
			t.Errorf("%s: %v published though the records hold %d", what, v, want)
		case ok && int(v) != want:
			t.Errorf("%s: %v, the records hold %d", what, v, want)
		}
	}
	for _, r := range get(d, "statistics", "referralsByStatus").([]any) {
		want := sqlCount(`SELECT count(*) FROM hub.referrals r WHERE (SELECT e.to_status FROM hub.referral_events e
			WHERE e.referral_id = r.id AND (e.at AT TIME ZONE 'Europe/Copenhagen')::date <= $1 ORDER BY e.at DESC LIMIT 1) = $2`,
			day, get(r, "status"))
		check(fmt.Sprint("referrals ", get(r, "status")), r, "referrals", want)
	}
	for _, r := range get(d, "statistics", "coursesEnded").([]any) {
		want := sqlCount(`SELECT count(*) FROM hub.courses c JOIN hub.course_events e ON e.course_id = c.id AND e.kind = 'ENDED'
			WHERE c.kind = $1 AND e.on_date BETWEEN '2014-01-01' AND '2015-06-30'
			AND ($2::text IS NULL OR (SELECT t.data->>'track' FROM hub.course_events t WHERE t.course_id = c.id
			  AND t.kind IN ('STARTED','TRACK_CHANGED') AND t.on_date <= e.on_date ORDER BY t.on_date DESC, t.seq DESC LIMIT 1) = $2)`,
			get(r, "kind"), get(r, "track"))
		check(fmt.Sprint("ended ", get(r, "kind"), get(r, "track")), r, "courses", want)
	}
	for _, r := range get(d, "statistics", "outcomes").([]any) {
		want := sqlCount(`SELECT count(*) FROM hub.courses c JOIN hub.course_events e ON e.course_id = c.id AND e.kind = 'ENDED'
			WHERE c.kind = 'CTI' AND e.on_date <= $1 AND e.data->'outcomes' ? $3
			AND (SELECT t.data->>'track' FROM hub.course_events t WHERE t.course_id = c.id
			  AND t.kind IN ('STARTED','TRACK_CHANGED') AND t.on_date <= e.on_date ORDER BY t.on_date DESC, t.seq DESC LIMIT 1) = $2`,
			day, get(r, "track"), get(r, "outcome"))
		check(fmt.Sprint("outcome ", get(r, "track"), get(r, "outcome")), r, "courses", want)
	}
	raw, err := seed.CountCategories(context.Background(), h.dbURL, day)
	if err != nil {
		t.Fatal(err)
	}
	checkCategories(t, get(d, "statistics", "categories"), raw)
}

// checkCategories holds the table's rows (CTI by track, the other
// categories whole) to the independent count over the raw records: every
// category the records hold is in the answer, and its published cells add
// up to the records' figure, short only by cells suppressed as small (at
// most 4 persons each).
func checkCategories(t *testing.T, rows any, raw map[string]int) {
	t.Helper()
	cells, _ := rows.([]any)
	if len(cells) == 0 || len(raw) == 0 {
		t.Fatalf("no categories to compare: the answer has %d rows, the records %d categories", len(cells), len(raw))
	}
	published, hidden := map[string]int{}, map[string]int{}
	for _, r := range cells {
		k := fmt.Sprint(get(r, "category"))
		if k == "CTI" {
			k += "/" + fmt.Sprint(get(r, "track"))
		}
		if v, ok := get(r, "persons", "value").(float64); ok {
			published[k] += int(v)
		} else if get(r, "persons", "suppressed") == true {
			hidden[k]++
		} else {
			t.Fatalf("%s: a cell neither published nor suppressed: %v", k, r)
		}
	}
	for k := range published {
		if _, ok := raw[k]; !ok {
			t.Errorf("%s: %d persons published, the records hold none", k, published[k])
		}
	}
	for k, want := range raw {
		got, short := published[k], want-published[k]
		switch {
		case hidden[k] == 0 && got != want:
			t.Errorf("%s: %d, the records hold %d", k, got, want)
		case hidden[k] > 0 && (short < hidden[k] || short > 4*hidden[k]):
			t.Errorf("%s: %d published and %d cells suppressed, the records hold %d", k, got, hidden[k], want)
		}
	}
}
