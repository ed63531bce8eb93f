package exithub_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"exithub"
)

// Every birth year a citizen may have falls in a band of the published
// table (the bands hub.birth_year_band gives: 2030 is "2030-2039"), so no
// person is left out of it.
func TestEveryBirthYearHasItsBand(t *testing.T) {
	keys := exithub.Domain(exithub.PersonsTable([]exithub.Dimension{exithub.DimBirthYearBand}), exithub.ReleaseSource{})
	bands := map[string]bool{}
	for _, k := range keys {
		bands[k[strings.LastIndex(k, "|")+1:]] = true
	}
	for y := exithub.MinYear; y <= exithub.MaxYear; y++ {
		if band := fmt.Sprintf("%d-%d", y/10*10, y/10*10+9); !bands[band] {
			t.Fatalf("birth year %d: its band %s is not in the table (bands: %v)", y, band, slices.Sorted(maps.Keys(bands)))
		}
	}
	if !bands["UNKNOWN"] {
		t.Fatal("no band for an unknown birth year")
	}
}
