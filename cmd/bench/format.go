package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// columns are the table's headings, in order; cells returns a row's cells.
var columns = []string{"setup", "scenario", "load", "requests", "sent/s", "ok/s", "success", "p50", "p99",
	"CPU µs/req", "DB CPU µs/req", "SQL/req", "allocs/req", "peak RSS MiB", "RSS MiB"}

func (r row) cells() []string {
	return []string{r.Setup, r.Scenario, r.Load, fmt.Sprint(r.Requests), formatRate(r.Sent), formatRate(r.Throughput()),
		formatPercent(r.Success()), formatLatency(r.P50), formatLatency(r.P99), formatFloat(r.CPUPerReq, 0),
		formatFloat(r.DBCPUPerReq, 0), formatFloat(r.SQLPerReq, 1), formatFloat(r.AllocsPerReq, 0), formatMiB(r.PeakRSSKiB), formatMiB(r.RSSKiB)}
}

func formatRate(v float64) string { return formatFloat(v, 1) }

// formatFloat prints v with prec decimals, or "–" when v is unknown.
func formatFloat(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return fmt.Sprintf("%.*f", prec, v)
}

// formatPercent shows a share as a percentage, never rounding a failure
// away: 0.9999 is "99.99%", not "100%".
func formatPercent(v float64) string {
	if v == 1 {
		return "100%"
	}
	return fmt.Sprintf("%.2f%%", math.Floor(v*10000)/100)
}

// formatLatency prints milliseconds with three significant digits at most
// below 10 ms, so sub-millisecond loopback latencies stay readable.
func formatLatency(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case d == 0:
		return "–"
	case ms < 1:
		return fmt.Sprintf("%.3f ms", ms)
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	default:
		return fmt.Sprintf("%.0f ms", ms)
	}
}

func formatMiB(kib uint64) string {
	if kib == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f", float64(kib)/1024)
}

// formatRatio prints a ÷ b as "0.42×".
func formatRatio(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return fmt.Sprintf("%.2f×", v)
}

// textTable aligns rows under headings for a terminal.
func textTable(head []string, rows [][]string) string {
	widths := make([]int, len(head))
	for _, r := range append([][]string{head}, rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		var l strings.Builder
		for i, c := range cells {
			if i > 0 {
				l.WriteString("  ")
			}
			l.WriteString(c + strings.Repeat(" ", widths[i]-len([]rune(c))))
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	line(head)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

// markdownTable renders rows as a GitHub table; pipes in cells are escaped.
func markdownTable(head []string, rows [][]string) string {
	var b strings.Builder
	line := func(cells []string) {
		esc := make([]string, len(cells))
		for i, c := range cells {
			esc[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		b.WriteString("| " + strings.Join(esc, " | ") + " |\n")
	}
	line(head)
	sep := make([]string, len(head))
	for i := range sep {
		sep[i] = "---"
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}
