package main

import "strings"

// peakRow finds the closed-loop row of a setup and scenario.
func peakRow(rows []row, setup, scen string) (row, bool) {
	for _, r := range rows {
		if r.Setup == setup && r.Scenario == scen && strings.HasPrefix(r.Load, "peak") {
			return r, true
		}
	}
	return row{}, false
}

// ratios compares the hub's peak with the baselines' and the scale-out's:
// throughput hub ÷ baseline (below 1 is what the hub's work costs), and
// CPU per request hub ÷ plain HTTP (above 1 likewise).
func ratios(rows []row) []ratioLine {
	var out []ratioLine
	hubInbox, ok := peakRow(rows, "hub", "inbox")
	if !ok {
		return nil
	}
	for _, base := range []string{"raw pgx (3 SELECTs)", "raw pgx (hub inbox statement)", "raw pgx (bare SELECT)", plainHubPath, "plain HTTP (bare SELECT)"} {
		if r, ok := peakRow(rows, base, "inbox"); ok {
			out = append(out, ratioLine{"inbox peak ok/s: hub ÷ " + base, ratio(hubInbox.Throughput(), r.Throughput())})
		}
	}
	if r, ok := peakRow(rows, plainHubPath, "inbox"); ok {
		out = append(out, ratioLine{"inbox CPU µs/req: hub ÷ " + plainHubPath, ratio(hubInbox.CPUPerReq, r.CPUPerReq)})
	}
	for _, scen := range []string{"inbox", "mix"} {
		single, ok1 := peakRow(rows, "hub", scen)
		double, ok2 := peakRow(rows, scaleOutSetup, scen)
		if ok1 && ok2 {
			out = append(out, ratioLine{scen + " peak ok/s: " + scaleOutSetup + " ÷ hub", ratio(double.Throughput(), single.Throughput())})
		}
	}
	return out
}
