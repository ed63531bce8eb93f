package db_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"exithub"
	"exithub/db/seed"
)

// The error of the releases on the national dataset: months of 2019
// released from a national load (with EXITHUB_ERROR_SCALE, all twelve at
// that scale, as for the README's figures; else a quarter's ends at scale
// 0.002, to keep the suite quick), each cell's
// published value against its true count. Cells of 20 or more must stay
// useful: their median absolute error is at most 1 person in a persons
// table and 2 records in a table of records (noise of scale 1/ε and K/ε).
func TestReleaseErrorOnTheNationalSeed(t *testing.T) {
	scale, step := 0.002, time.Month(3)
	if s := os.Getenv("EXITHUB_ERROR_SCALE"); s != "" {
		var err error
		if scale, err = strconv.ParseFloat(s, 64); err != nil {
			t.Fatal(err)
		}
		step = 1
	}
	d, url := openDB(t)
	if _, err := seed.National(context.Background(), url, scale); err != nil {
		t.Fatal(err)
	}
	ctx := as(t, d, "ministry", exithub.RoleAnalyst)
	p := exithub.DefaultPrivacy
	errs := map[string][]int{}
	var slowest time.Duration
	for mo := step; mo <= time.December; mo += step {
		m := exithub.Month{Year: 2019, Month: mo}
		var truth exithub.ReleaseSource
		start := time.Now()
		rel, err := d.Release(ctx, m, p.K, func(src exithub.ReleaseSource) (exithub.Release, error) {
			truth = src
			return p.Publish(m, src, rand.NewChaCha8([32]byte{byte(m.Month), 19}))
		})
		if err != nil {
			t.Fatal(err)
		}
		slowest = max(slowest, time.Since(start))
		for tbl, cells := range rel.Tables {
			kind := "persons"
			if slices.Contains(exithub.RecordTables, tbl) {
				kind = "records"
			}
			for _, c := range cells {
				n := truth.Counts[tbl][c.Key]
				v := 0
				if c.Cell.Value != nil {
					v = *c.Cell.Value
				}
				if n >= 20 {
					errs[kind+" ≥20"] = append(errs[kind+" ≥20"], abs(v-n))
				}
				errs[kind+" all"] = append(errs[kind+" all"], abs(v-n))
			}
		}
	}
	for k, e := range errs {
		slices.Sort(e)
		t.Logf("%s: %d cells, median absolute error %d, 90th percentile %d", k, len(e), e[len(e)/2], e[len(e)*9/10])
	}
	t.Logf("scale %g: slowest release computed in %v", scale, slowest.Round(time.Millisecond))
	for k, limit := range map[string]int{"persons ≥20": 1, "records ≥20": 2} {
		if e := errs[k]; len(e) < 10 || e[len(e)/2] > limit {
			t.Errorf("%s: median absolute error over %d cells beyond %d", k, len(e), limit)
		}
	}
}

func abs(n int) int { return max(n, -n) }
