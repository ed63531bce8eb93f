package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"exithub"
	"exithub/db/seed"
)

func TestExportGivesTheEvaluatorTheSameFigures(t *testing.T) {
	h := startHub(t)
	var out bytes.Buffer
	tok := h.token("sfi", exithub.RoleAnalyst)
	err := run(context.Background(), []string{"export", "statistics", "--as-of", "2014-03-18", "--format", "csv",
		"--token", tok, "--endpoint", h.url + "/graphql", "--group-by", "MUNICIPALITY"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "BAD_USER_INPUT") || !strings.Contains(err.Error(), lastReleased().Last().String()) {
		t.Fatalf("a grouped export for a day that ends no released month: %v", err)
	}
	out.Reset()
	err = run(context.Background(), []string{"export", "statistics", "--as-of", "2014-03-31", "--format", "csv",
		"--token", tok, "--endpoint", h.url + "/graphql", "--group-by", "MUNICIPALITY"}, &out, &out)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The export reads the same stored release as the API.
	api := h.must(tok, statisticsQuery, map[string]any{"d": "2014-03-31", "g": []string{"MUNICIPALITY"}})
	cats := get(api, "statistics", "categories").([]any)
	total, _ := get(api, "statistics", "personsHelped", "value").(float64)
	if len(rows) != len(cats)+2 || rows[1][1] != "ALL" || rows[1][8] != strconv.Itoa(int(total)) {
		t.Fatalf("export has %d rows (API %d); total row %v", len(rows), len(cats), rows[1])
	}
	for i, c := range cats {
		r := rows[i+2]
		want := ""
		if v, ok := get(c, "persons", "value").(float64); ok {
			want = strconv.Itoa(int(v))
		}
		if r[8] != want || r[4] != get(c, "municipality", "code") {
			t.Fatalf("export row %v, API row %v", r, c)
		}
	}
	out.Reset()
	err = run(context.Background(), []string{"export", "statistics", "--as-of", "2014-03-18", "--format", "json",
		"--token", h.token("socialstyrelsen", exithub.RoleGrantAdmin), "--endpoint", h.url + "/graphql"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "FORBIDDEN") {
		t.Fatalf("a grant admin exported statistics: %v", err)
	}
}

// The ungrouped export against SQL over the raw records.
func TestExportAgreesWithTheRecords(t *testing.T) {
	h := startHub(t)
	var out bytes.Buffer
	err := run(context.Background(), []string{"export", "statistics", "--as-of", "2014-03-18", "--format", "csv",
		"--token", h.token("sfi", exithub.RoleAnalyst), "--endpoint", h.url + "/graphql"}, &out, &out)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v", err)
	}
	if len(rows) < 2 {
		t.Fatalf("the export has no rows: %q", rows)
	}
	raw, err := seed.CountCategories(context.Background(), h.dbURL, "2014-03-18")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range raw {
		total += n
	}
	exported := map[string]bool{}
	for _, r := range rows[1:] {
		key := r[1]
		if key == "CTI" {
			key += "/" + r[3]
		}
		exported[key] = true
		want := total
		if key != "ALL" {
			want = raw[key]
		}
		if r[8] != strconv.Itoa(want) {
			t.Errorf("export %s: %s, the records hold %d", key, r[8], want)
		}
	}
	// A row left out would escape the comparison above.
	for key, n := range raw {
		if !exported[key] {
			t.Errorf("export has no row for %s; the records hold %d", key, n)
		}
	}
	if !exported["ALL"] {
		t.Errorf("export has no ALL row; the records hold %d", total)
	}
}
