package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const exposition = `# HELP exithub_db_queries_total_seconds a metric whose name starts the same
exithub_db_queries_total_seconds 99
# HELP exithub_db_queries_total SQL statements sent by the pool, BEGIN and COMMIT included.
# TYPE exithub_db_queries_total counter
exithub_db_queries_total 1.234567e+06
exithub_db_pool_connections{state="idle"} 3
`

func TestParseCounter(t *testing.T) {
	got, err := parseCounter(strings.NewReader(exposition), queriesMetric)
	if err != nil || got != 1234567 {
		t.Fatalf("parseCounter = %v, %v", got, err)
	}
}

func TestParseCounterMissing(t *testing.T) {
	if _, err := parseCounter(strings.NewReader("# only comments\n"), queriesMetric); err == nil {
		t.Fatal("a missing counter was read as 0")
	}
}

func TestScrapeCounter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, exposition)
	}))
	defer srv.Close()
	if got, err := scrapeCounter(srv.Client(), srv.URL+"/metrics", queriesMetric); err != nil || got != 1234567 {
		t.Fatalf("scrapeCounter = %v, %v", got, err)
	}
	if _, err := scrapeCounter(srv.Client(), srv.URL+"/nothing", queriesMetric); err == nil {
		t.Fatal("a 404 was scraped")
	}
}
