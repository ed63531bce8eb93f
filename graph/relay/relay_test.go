package relay

import (
	"encoding/base64"
	"testing"
)

// A global id is the type and row id, base64url without padding, built in
// one allocation; it parses back.
func TestIDRoundTrips(t *testing.T) {
	for _, c := range []struct{ typ, id string }{
		{"Referral", "00000000-0000-4000-8000-000000000001"},
		{"Citizen", "x"},
		{"Organisation", string(make([]byte, 150))},
	} {
		gid := ID(c.typ, c.id)
		if want := base64.RawURLEncoding.EncodeToString([]byte(c.typ + ":" + c.id)); gid != want {
			t.Fatalf("ID(%q, %q) = %q, want %q", c.typ, c.id, gid, want)
		}
		if typ, id, ok := Parse(gid); len(gid) <= 200 && (!ok || typ != c.typ || id != c.id) {
			t.Fatalf("Parse(%q) = %q, %q, %v", gid, typ, id, ok)
		}
	}
	if n := testing.AllocsPerRun(100, func() { ID("Referral", "00000000-0000-4000-8000-000000000001") }); n != 1 {
		t.Fatalf("ID allocates %v times, want once", n)
	}
}
