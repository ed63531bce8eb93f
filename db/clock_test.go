package db_test

import (
	"context"
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
// are past keep is the database's day, keep ago.
func TestRetentionCutoffIsOnTheDatabasesClock(t *testing.T) {
	_, url := openDB(t)
	got, err := db.RetentionCutoff(context.Background(), url, 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var want time.Time
	if err := rawConn(t, url).QueryRow(context.Background(),
		"SELECT ((now() - interval '48 hours') AT TIME ZONE 'Europe/Copenhagen')::date").Scan(&want); err != nil {
		t.Fatal(err)
	}
	if got != exithub.DateOf(want) {
		t.Fatalf("cutoff %s, the database's day 48 hours ago is %s", got, exithub.DateOf(want))
	}
}
