package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// queriesMetric counts the SQL statements the hub's pool sent.
const queriesMetric = "exithub_db_queries_total"

// mallocsMetric counts the heap allocations of a Go process (the Go
// collector's; the plain baseline reports the same from runtime.MemStats).
const mallocsMetric = "go_memstats_mallocs_total"

// scrapeCounter reads one unlabelled counter from a Prometheus text endpoint.
func scrapeCounter(client *http.Client, url, name string) (float64, error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("scrape %s: %s", url, resp.Status)
	}
	return parseCounter(resp.Body, name)
}

// parseCounter finds "name value" in Prometheus text exposition format.
func parseCounter(r io.Reader, name string) (float64, error) {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64*1024), 1024*1024)
	for s.Scan() {
		rest, ok := strings.CutPrefix(s.Text(), name)
		if !ok || !strings.HasPrefix(rest, " ") {
			continue // a comment, another metric, or one whose name merely starts the same
		}
		fields := strings.Fields(rest) // value, then an optional timestamp
		return strconv.ParseFloat(fields[0], 64)
	}
	if err := s.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("metric %s not found", name)
}

// scrapeClient is for /metrics and /readyz, never for load.
var scrapeClient = &http.Client{Timeout: 10 * time.Second}
