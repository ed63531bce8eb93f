package db_test

import (
	"context"
	"testing"
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
