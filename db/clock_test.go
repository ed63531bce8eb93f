package db_test

import (
	"context"
	neturl "net/url"
	"testing"
	"time"

	"exithub"
	"exithub/db"
)

// TestARecordedTimeIsTheDatabasesClock holds a new referral's times to the
// transaction's now(): its creation, its last change and its first event
// are one instant. Go's clock runs ahead of the transaction's start, so a
// time taken in Go would differ.
func TestARecordedTimeIsTheDatabasesClock(t *testing.T) {
	d, url := openDB(t)
	seedReferrals(t, d)
	rows, err := rawConn(t, url).Query(context.Background(), `SELECT r.created_at = r.updated_at AND r.created_at = e.at
		FROM hub.referrals r JOIN hub.referral_events e ON e.referral_id = r.id AND e.to_status = 'REQUESTED'
		WHERE r.message = 'hello' AND r.contact = 'cw@kk.dk'`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var same bool
		if err := rows.Scan(&same); err != nil {
			t.Fatal(err)
		}
		if !same {
			t.Error("a referral's creation, last change and first event were recorded at different times")
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("found %d new referrals with their first event, want 2", n)
	}
}

// TestRetentionCutoffIsOnTheDatabasesClock: the day before which records
// are past keep is the database's day, keep ago. The connection's now() is
// made to read a day in 2001, so a cut-off taken from Go's clock differs.
func TestRetentionCutoffIsOnTheDatabasesClock(t *testing.T) {
	_, url := openDB(t)
	if _, err := rawConn(t, url).Exec(context.Background(), `CREATE SCHEMA fakeclock;
		CREATE FUNCTION fakeclock.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT timestamptz '2001-02-03 12:00:00+00' $$;
		GRANT USAGE ON SCHEMA fakeclock TO PUBLIC`); err != nil {
		t.Fatal(err)
	}
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", "fakeclock,pg_catalog")
	u.RawQuery = q.Encode()
	got, err := db.RetentionCutoff(context.Background(), u.String(), 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := exithub.DateOf(time.Date(2001, 2, 1, 0, 0, 0, 0, time.UTC)); got != want {
		t.Fatalf("cutoff %s, the database's day 48 hours ago is %s", got, want)
	}
	// A period below zero erases nothing that has not ended by today.
	got, err = db.RetentionCutoff(context.Background(), u.String(), -48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := exithub.DateOf(time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC)); got != want {
		t.Fatalf("cutoff %s for a period below zero; want the database's today, %s", got, want)
	}
}
