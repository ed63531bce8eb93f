package db

import (
	"testing"
	"time"
)

func TestCursorRoundTrip(t *testing.T) {
	at := time.Date(2014, 3, 18, 10, 0, 0, 123, time.UTC)
	id := "6f1c4a52-7c1e-4a0e-9d8c-0e1f2a3b4c5d"
	gotAt, gotID, err := decodeCursor(encodeCursor(at, id), "after")
	if err != nil || !gotAt.Equal(at) || gotID != id {
		t.Fatalf("round trip: %v %v %v", gotAt, gotID, err)
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(time.Date(2014, 3, 18, 10, 0, 0, 0, time.UTC), "6f1c4a52-7c1e-4a0e-9d8c-0e1f2a3b4c5d"))
	for _, s := range []string{"", "nonsense", "MjAxNC0wMy0xOFQxMDowMDowMFp8eA", "%%%", "fA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, id, err := decodeCursor(s, "after")
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if !isUUID(id) {
			t.Fatalf("accepted %q with id %q", s, id)
		}
		if _, _, err := decodeCursor(encodeCursor(at, id), "after"); err != nil {
			t.Fatalf("a decoded cursor does not encode back: %v", err)
		}
	})
}
