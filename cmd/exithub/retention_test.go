package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db/cluster"
	"exithub/graph/relay"
)

func TestRetentionErasesButPastFiguresStay(t *testing.T) {
	h := startHub(t)
	cw := h.token("851", exithub.RoleCaseworker)
	c := h.must(cw, registerMutation, map[string]any{"in": map[string]any{"cpr": "121280-4242", "alias": "Glemt"}})
	cid := get(c, "registerCitizen", "id").(string)
	co := h.must(cw, `mutation($c: ID!) { startCourse(input: {citizenId: $c, kind: ACUTE_SUPPORT, startedOn: "2014-02-01"}) { id } }`, map[string]any{"c": cid})
	h.must(cw, `mutation($id: ID!) { endCourse(input: {courseId: $id, reason: COMPLETED, on: "2014-02-02"}) { endedOn } }`,
		map[string]any{"id": get(co, "startCourse", "id")})
	h.must(cw, referMutation, map[string]any{"in": map[string]any{"citizenId": cid, "externalOffer": "Rådgivning, region",
		"needs": []string{"COUNSELLING"}, "message": "m", "contact": "c"}})

	analyst := h.token("ministry", exithub.RoleAnalyst)
	figures := func() string {
		var out []string
		for _, day := range []string{"2014-01-31", "2014-03-18", "2014-12-31", "2015-06-30"} {
			d := h.must(analyst, statisticsQuery, map[string]any{"d": day})
			out = append(out, string(mustJSON(t, d)))
		}
		for _, day := range []string{"2014-01-31", "2014-03-31", "2014-12-31", "2015-06-30"} {
			d := h.must(analyst, statisticsQuery, map[string]any{"d": day, "g": []string{"MUNICIPALITY"}})
			out = append(out, string(mustJSON(t, d)))
		}
		return strings.Join(out, "\n")
	}
	// A citizen registered today stays whatever day a run is asked for:
	// the cut-off is never later than today.
	fresh := get(h.must(cw, registerMutation, map[string]any{"in": map[string]any{"alias": "I dag"}}), "registerCitizen", "id").(string)
	// The one to erase was last touched in 2014, as its course and referral.
	own := owner(t, h)
	for _, stmt := range []string{"UPDATE hub.citizens SET updated_at = '2014-03-01' WHERE id = $1",
		"UPDATE hub.referrals SET updated_at = '2014-03-01' WHERE citizen_id = $1"} {
		if _, err := own.Exec(context.Background(), stmt, relay.IDOf("Citizen", cid)); err != nil {
			t.Fatal(err)
		}
	}
	before := figures()
	sources := releaseSources(t, h.dbURL)
	var stdout strings.Builder
	t.Setenv("DATABASE_URL", h.dbURL)
	// While another instance's run holds the lock, a run leaves the day to it.
	other, err := pgx.Connect(context.Background(), h.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(context.Background())
	if _, err := other.Exec(context.Background(), "SELECT pg_advisory_lock(hashtext('exithub retention'))"); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"retention", "run", "--before", "2099-01-01"}, &stdout, &stdout); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "erased 0 ") {
		t.Fatalf("retention ran beside another run: %s", stdout.String())
	}
	if _, err := other.Exec(context.Background(), "SELECT pg_advisory_unlock(hashtext('exithub retention'))"); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"retention", "run", "--before", "2099-01-01"}, &stdout, &stdout); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "erased") || strings.Contains(stdout.String(), "erased 0 ") {
		t.Fatalf("retention: %s", stdout.String())
	}
	if after := releaseSources(t, h.dbURL); after != sources {
		t.Fatalf("the true cells of a release changed after the retention run:\nbefore %s\nafter  %s", sources, after)
	}
	if after := figures(); after != before {
		t.Fatalf("statistics changed after the retention run:\nbefore %s\nafter  %s", before, after)
	}
	if d := h.must(cw, `query($id: ID!) { citizen(id: $id) { id } }`, map[string]any{"id": cid}); get(d, "citizen") != nil {
		t.Fatal("the erased citizen is still there")
	}
	if d := h.must(cw, `query($id: ID!) { citizen(id: $id) { id } }`, map[string]any{"id": fresh}); get(d, "citizen") == nil {
		t.Fatal("a run asked for a day in 2099 erased a citizen registered today")
	}
	bin, err := cluster.BinDir(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dump, err := exec.Command(filepath.Join(bin, "pg_dump"), "--dbname", h.dbURL).Output()
	if err != nil {
		t.Fatal(err)
	}
	raw := relay.IDOf("Citizen", cid)
	for _, s := range []string{raw, "Glemt", "121280"} {
		if strings.Contains(string(dump), s) {
			t.Errorf("a row still links to the erased citizen: the dump contains %q", s)
		}
	}
	t.Log(strings.TrimSpace(stdout.String()))
}

// releaseSources reads the true (pre-noise) cells of the releases of three
// past months, every table, as the release computation reads them. The
// citizen erased above is counted in February 2014.
func releaseSources(t *testing.T, dbURL string) string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var out []string
	for _, day := range []string{"2014-02-28", "2014-06-30", "2014-12-31"} {
		rows, _ := conn.Query(context.Background(), "SELECT tbl || ' ' || key || ' ' || n FROM hub.release_source($1, $2) ORDER BY 1",
			day, exithub.DefaultPrivacy.K)
		cells, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(cells) < 50 {
			t.Fatalf("release source of %s: %d cells (%v)", day, len(cells), err)
		}
		out = append(out, day+"\n"+strings.Join(cells, "\n"))
	}
	return strings.Join(out, "\n")
}
