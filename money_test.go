package exithub

import "testing"

func TestParseMoney(t *testing.T) {
	cases := []struct {
		in   string
		want Money
		ok   bool
	}{
		{"46000000.00", 4_600_000_000, true}, {"0.01", 1, true}, {"12.5", 1250, true}, {"7", 700, true},
		{"-3.10", -310, true}, {"1.001", 0, false}, {"1e6", 0, false}, {"1,000.00", 0, false}, {".5", 0, false},
		{"5.", 0, false}, {"", 0, false}, {"92233720368547758.07", 0, false},
		{"1000000000.00", MaxMoney, true}, {"-1000000000.00", -MaxMoney, true}, {"1000000000.01", 0, false}, {"-1000000000.01", 0, false},
		{"92233720368547758.08", 0, false}, {"NaN", 0, false},
	}
	for _, c := range cases {
		got, err := ParseMoney(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
	for _, m := range []Money{0, 1, 99, 100, 4_600_000_000, -310} {
		back, err := ParseMoney(m.String())
		if err != nil || back != m {
			t.Errorf("%d → %q → %d, %v", m, m.String(), back, err)
		}
	}
}

func TestAllocateByLargestRemainder(t *testing.T) {
	pops := []int64{569557, 195797, 319094, 205809}
	for _, total := range []Money{2_330_000_000, 1, 7, 610_000_000, 999_999_999_999} {
		shares, err := Allocate(total, pops)
		if err != nil {
			t.Fatal(err)
		}
		var sum Money
		for i, s := range shares {
			sum += s
			exact := float64(total) * float64(pops[i]) / float64(1290257)
			if d := float64(s) - exact; d <= -1 || d >= 1 {
				t.Errorf("share %d of %d is %d, exact quota %.2f", i, total, s, exact)
			}
		}
		if sum != total {
			t.Errorf("shares of %d sum to %d", total, sum)
		}
	}
	if _, err := Allocate(100, []int64{0, 0}); err == nil {
		t.Error("allocated by zero weights")
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"46000000.00", "0.01", "-1", "1e9", "", "٣.٠٠"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("non-typed error %v", err)
			}
			return
		}
		if back, err := ParseMoney(m.String()); err != nil || back != m {
			t.Fatalf("%q → %d → %q does not round-trip", s, m, m.String())
		}
	})
}
