package main

import (
	"errors"
	"fmt"
)

// measured is the set of server processes a run's costs are read from:
// their pids for CPU and memory, their /metrics for SQL statements. An
// empty metrics list means the setup counts no queries.
type measured struct {
	pids    []int
	metrics []string
}

// sample is the counters of all measured processes at one moment.
type sample struct {
	ticks   uint64
	queries float64
	mallocs float64
	peakErr error // why a peak RSS could not be reset: the run's peak is unknown
}

// begin resets the peak RSS of every process and reads the counters.
func (m measured) begin() (sample, error) {
	var resets []error
	for _, pid := range m.pids {
		resets = append(resets, resetPeakRSS(pid))
	}
	s, err := m.read()
	s.peakErr = errors.Join(resets...)
	return s, err
}

func (m measured) read() (sample, error) {
	var s sample
	for _, pid := range m.pids {
		t, err := cpuTicks(pid)
		if err != nil {
			return s, fmt.Errorf("cpu of %d: %w", pid, err)
		}
		s.ticks += t
	}
	for _, url := range m.metrics {
		q, err := scrapeCounter(scrapeClient, url, queriesMetric)
		if err != nil {
			return s, err
		}
		s.queries += q
		a, err := scrapeCounter(scrapeClient, url, mallocsMetric)
		if err != nil {
			return s, err
		}
		s.mallocs += a
	}
	return s, nil
}

// end reads the counters again and fills the cost columns of r, per
// request sent: CPU in µs, SQL statements, and memory summed over the
// processes.
func (m measured) end(before sample, r *row) error {
	after, err := m.read()
	if err != nil {
		return err
	}
	if len(m.pids) > 0 {
		r.CPUPerReq = perRequest(float64(after.ticks-before.ticks)*1e6/clockTicks, r.Requests)
	}
	if len(m.metrics) > 0 {
		r.SQLPerReq = perRequest(after.queries-before.queries, r.Requests)
		r.AllocsPerReq = perRequest(after.mallocs-before.mallocs, r.Requests)
	}
	var errs []error
	for _, pid := range m.pids {
		mem, err := processMemory(pid)
		errs = append(errs, err)
		r.PeakRSSKiB += mem.PeakKiB
		r.RSSKiB += mem.NowKiB
	}
	if before.peakErr != nil {
		r.PeakRSSKiB = 0 // not measured: a peak since the process started is not the run's
		errs = append(errs, fmt.Errorf("peak RSS unknown: %w", before.peakErr))
	}
	return errors.Join(errs...)
}
