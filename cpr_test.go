package exithub

import "testing"

func TestParseCPR(t *testing.T) {
	cases := []struct {
		in string
		ok bool
	}{
		{"010190-1234", true}, {"0101901234", true}, {" 290296-4000 ", true}, // 1996 was a leap year
		{"290297-1234", false}, {"320188-4711", false}, {"011390-1234", false}, {"000190-1234", false},
		{"01019012345", false}, {"010190_1234", false}, {"abcdefghij", false}, {"", false},
		{"290200-4000", true},  // 7th digit 4, year 00: 2000, a leap year
		{"290200-1000", false}, // 7th digit 1, year 00: 1900, not a leap year
	}
	for _, c := range cases {
		_, err := ParseCPR(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ParseCPR(%q): %v, want ok=%v", c.in, err, c.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || ErrorField(err) != "cpr") {
			t.Errorf("ParseCPR(%q) error %v is not BAD_USER_INPUT on cpr", c.in, err)
		}
	}
}

func TestPseudonymIsKeyedAndStable(t *testing.T) {
	a := Pseudonym([]byte("k1"), "0101901234")
	if string(a) != string(Pseudonym([]byte("k1"), "0101901234")) {
		t.Fatal("the same CPR and key gave two pseudonyms")
	}
	if string(a) == string(Pseudonym([]byte("k2"), "0101901234")) {
		t.Fatal("another key gave the same pseudonym")
	}
}

func FuzzParseCPR(f *testing.F) {
	for _, s := range []string{"010190-1234", "0101901234", "320188-4711", "", "-", "999999-9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCPR(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("non-typed error %v", err)
			}
			return
		}
		if len(c) != 10 {
			t.Fatalf("accepted %q as %q", s, c)
		}
		if _, err := ParseCPR(string(c)); err != nil {
			t.Fatalf("a parsed CPR does not parse again: %v", err)
		}
	})
}
