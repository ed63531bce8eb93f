package main

import (
	"math"
	"time"
)

// row is one measured run: what was driven, how, and what it cost.
type row struct {
	Setup    string // "hub", "hub ×2 + PgBouncer", "raw pgx", "plain HTTP", …
	Scenario string // inbox, writes, statistics, mix
	Load     string // "1000/s" for a fixed rate, "peak 16w" for closed loop

	Requests     uint64        // sent during the measured run
	OK           uint64        // HTTP 2xx without GraphQL errors
	GQLErrors    uint64        // responses that carried GraphQL errors
	Elapsed      time.Duration // first request sent to last answer received
	Sent         float64       // requests sent per second
	P50, P99     time.Duration // latency of all requests, failed ones included
	CPUPerReq    float64       // server CPU µs per request; NaN when not measured
	DBCPUPerReq  float64       // PostgreSQL's CPU µs per request; NaN when not measured
	SQLPerReq    float64       // SQL statements per request; NaN when not measured
	AllocsPerReq float64       // heap allocations of the server per request; NaN when not measured
	PeakRSSKiB   uint64        // VmHWM during the run (summed over instances); 0 when not measured
	RSSKiB       uint64        // VmRSS at the end (summed)
	Errors       []string      // a few distinct failures, for the reader
}

// Throughput is successful requests per second.
func (r row) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// Success is the share of requests that succeeded.
func (r row) Success() float64 {
	if r.Requests == 0 {
		return 0
	}
	return float64(r.OK) / float64(r.Requests)
}

// unmeasured marks a cost column a setup cannot report.
var unmeasured = math.NaN()

// perRequest divides a counter delta by the requests; NaN when there were none.
func perRequest(delta float64, requests uint64) float64 {
	if requests == 0 {
		return unmeasured
	}
	return delta / float64(requests)
}

// ratio is a ÷ b, NaN when b is zero or either is unknown.
func ratio(a, b float64) float64 {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return unmeasured
	}
	return a / b
}
