package scalar

import (
	"bytes"
	"strconv"
	"testing"

	"exithub"
)

func TestDateScalar(t *testing.T) {
	for in, ok := range map[any]bool{"2014-03-18": true, "2014-02-29": false, "2016-02-29": true, "18-03-2014": false,
		"2014-3-18": false, 20140318: false, nil: false, "2014-03-18T00:00:00Z": false} {
		_, err := UnmarshalDate(in)
		if (err == nil) != ok {
			t.Errorf("UnmarshalDate(%v): %v", in, err)
		}
		if err != nil && exithub.ErrorCode(err) != exithub.EINVALID {
			t.Errorf("UnmarshalDate(%v): %v is not BAD_USER_INPUT", in, err)
		}
	}
}

func TestMoneyScalarRefusesNumbers(t *testing.T) {
	if _, err := UnmarshalMoney(46000000.00); exithub.ErrorCode(err) != exithub.EINVALID {
		t.Fatalf("a JSON number as Money: %v", err)
	}
	m, err := UnmarshalMoney("46000000.00")
	var b bytes.Buffer
	MarshalMoney(m).MarshalGQL(&b)
	if err != nil || b.String() != strconv.Quote("46000000.00") {
		t.Fatalf("Money round trip: %s %v", b.String(), err)
	}
}

func FuzzDateScalar(f *testing.F) {
	for _, s := range []string{"2014-03-18", "2014-02-30", "", "9999-12-31", "0000-01-01", "2014-03-18\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := UnmarshalDate(s)
		if err != nil {
			if exithub.ErrorCode(err) != exithub.EINVALID {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("%q parsed as %s", s, d)
		}
	})
}

func FuzzMoneyScalar(f *testing.F) {
	for _, s := range []string{"46000000.00", "0.1", "-0.01", "1e3", "٣", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := UnmarshalMoney(s)
		if err != nil {
			if exithub.ErrorCode(err) != exithub.EINVALID {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		back, err := exithub.ParseMoney(m.String())
		if err != nil || back != m {
			t.Fatalf("%q → %d does not round-trip", s, m)
		}
	})
}
