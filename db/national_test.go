package db_test

import (
	"context"
	"testing"

	"exithub"
	"exithub/db/seed"
)

func TestNationalSeedAtASmallScale(t *testing.T) {
	d, url := openDB(t)
	c, err := seed.National(context.Background(), url, 0.002)
	if err != nil {
		t.Fatal(err)
	}
	if c.Citizens != 2000 || c.Referrals != 6000 || c.Courses != 4000 || c.CourseEvents != 20000 || c.Municipalities != 98 || c.NGOs != 200 {
		t.Fatalf("national seed at 0.002: %+v", c)
	}
	var engagements, sources int
	rawConn(t, url).QueryRow(context.Background(), `SELECT count(*), count(DISTINCT source_id) FROM hub.stats_engagements`).Scan(&engagements, &sources)
	if engagements < c.Referrals+c.Courses {
		t.Fatalf("%d rollup rows for %d referrals and %d courses", engagements, c.Referrals, c.Courses)
	}
	facts, err := d.PersonFacts(as(t, d, "ministry", exithub.RoleAnalyst), exithub.Date{Year: 2030, Month: 1, Day: 1})
	if err != nil {
		t.Fatal(err)
	}
	persons := 0
	for _, f := range facts {
		persons += f.N
	}
	if persons < c.Citizens/2 {
		t.Fatalf("statistics count %d persons among %d citizens", persons, c.Citizens)
	}
}
