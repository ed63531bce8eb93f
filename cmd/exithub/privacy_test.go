package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"exithub"
	"exithub/db"
	"exithub/db/cluster"
)

func TestCPRNumbersAppearNowhere(t *testing.T) {
	h := startHub(t)
	cw := h.token("101", exithub.RoleCaseworker)
	cprs := []string{"150388-4711", "0207914242", "311299-1337"}
	for i, cpr := range cprs {
		h.must(cw, registerMutation, map[string]any{"in": map[string]any{"cpr": cpr, "alias": "P" + string(rune('a'+i))}})
	}
	h.do(cw, registerMutation, map[string]any{"in": map[string]any{"cpr": "320188-4711", "alias": "bad"}}) // refused: must not echo it
	bin, err := cluster.BinDir(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dump, err := exec.Command(filepath.Join(bin, "pg_dump"), "--dbname", h.dbURL).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	logs := strings.Join(h.logs.Lines(), "\n")
	for _, cpr := range append(cprs, "320188-4711") {
		digits := strings.ReplaceAll(cpr, "-", "")
		for _, s := range []string{cpr, digits} {
			if strings.Contains(string(dump), s) {
				t.Errorf("pg_dump of the database contains CPR %s", s)
			}
			if strings.Contains(logs, s) {
				t.Errorf("the server's logs contain CPR %s", s)
			}
		}
	}
	if !strings.Contains(string(dump), "citizens") || len(h.logs.Lines()) < 4 {
		t.Fatal("the dump or the logs are empty: the search proved nothing")
	}
}

func TestQueriesPerRequestDoNotGrowWithPageSize(t *testing.T) {
	counter := &db.QueryCounter{}
	h := startHub(t, func(m *Main) { m.Tracer = counter })
	ngo := h.token("reden", exithub.RoleNGOWorker)
	q := `query($n: Int) { referrals(first: $n) { edges { node { id from { code } to { code } history { to actor actorOrganisation { code } } notes { text } } } } }`
	// The fewest queries of three tries: a loader batch that a slow goroutine
	// missed is scheduling noise, not growth.
	cost := func(n int) (int64, int) {
		best, rows := int64(1<<62), 0
		for i := 0; i < 3; i++ {
			before := counter.Count()
			d := h.must(ngo, q, map[string]any{"n": n})
			best, rows = min(best, counter.Count()-before), len(get(d, "referrals", "edges").([]any))
		}
		return best, rows
	}
	small, rowsSmall := cost(1)
	large, rowsLarge := cost(20)
	if rowsLarge <= rowsSmall || rowsLarge < 5 {
		t.Fatalf("the demo inbox has too few referrals to tell (%d, %d)", rowsSmall, rowsLarge)
	}
	if large != small {
		t.Fatalf("a page of %d costs %d queries, a page of %d costs %d: the count grows with the page", rowsSmall, small, rowsLarge, large)
	}
	t.Logf("%d queries per inbox request, for 1 or %d referrals", large, rowsLarge)
}
