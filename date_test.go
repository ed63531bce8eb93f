package exithub

import (
	"errors"
	"testing"
)

// Days outside 1900–2100 are refused: year 0 would be stored as 1 BC.
func TestParseDateBoundsTheYear(t *testing.T) {
	for _, s := range []string{"0000-01-01", "1899-12-31", "2101-01-01", "9999-12-31"} {
		if _, err := ParseDate(s); !errors.Is(err, ErrDateRange) {
			t.Errorf("ParseDate(%q): %v, want ErrDateRange", s, err)
		}
	}
	for _, s := range []string{"1900-01-01", "2014-02-28", "2100-12-31"} {
		if _, err := ParseDate(s); err != nil {
			t.Errorf("ParseDate(%q): %v", s, err)
		}
	}
}
