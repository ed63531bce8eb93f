package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestFormatting(t *testing.T) {
	cases := []struct{ got, want string }{
		{formatPercent(1), "100%"},
		{formatPercent(0.99996), "99.99%"}, // a failure is never rounded away
		{formatPercent(0), "0.00%"},
		{formatLatency(0), "–"},
		{formatLatency(450 * time.Microsecond), "0.450 ms"},
		{formatLatency(6750 * time.Microsecond), "6.75 ms"},
		{formatLatency(1234 * time.Millisecond), "1234 ms"},
		{formatFloat(math.NaN(), 1), "–"},
		{formatFloat(17.26, 1), "17.3"},
		{formatMiB(0), "–"},
		{formatMiB(204800), "200"},
		{formatRatio(0.4251), "0.43×"},
		{formatRatio(math.NaN()), "–"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestRatio(t *testing.T) {
	if r := ratio(1, 4); r != 0.25 {
		t.Errorf("ratio(1, 4) = %v", r)
	}
	for _, r := range []float64{ratio(1, 0), ratio(math.NaN(), 1), ratio(1, math.NaN())} {
		if !math.IsNaN(r) {
			t.Errorf("an undefined ratio is %v, want NaN", r)
		}
	}
}

func TestPerRequest(t *testing.T) {
	if v := perRequest(300, 100); v != 3 {
		t.Errorf("perRequest(300, 100) = %v", v)
	}
	if v := perRequest(300, 0); !math.IsNaN(v) {
		t.Errorf("perRequest without requests = %v, want NaN", v)
	}
}

func TestMarkdownTableEscapesPipes(t *testing.T) {
	got := markdownTable([]string{"a", "b"}, [][]string{{"x|y", "z"}})
	want := "| a | b |\n| --- | --- |\n| x\\|y | z |\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestTextTableAlignsColumns(t *testing.T) {
	got := textTable([]string{"setup", "ok/s"}, [][]string{{"hub ×2", "1"}, {"raw", "12345"}})
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	column := func(line, s string) int { return len([]rune(line[:strings.Index(line, s)])) }
	if len(lines) != 3 || column(lines[1], "1") != column(lines[0], "ok/s") ||
		column(lines[2], "12345") != column(lines[0], "ok/s") || strings.HasSuffix(lines[1], " ") {
		t.Fatalf("misaligned:\n%s", got)
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	if p := percentile(ds, 0.5); p != 50*time.Millisecond {
		t.Errorf("p50 = %v", p)
	}
	if p := percentile(ds, 0.99); p != 99*time.Millisecond {
		t.Errorf("p99 = %v", p)
	}
	if p := percentile(nil, 0.5); p != 0 {
		t.Errorf("p50 of nothing = %v", p)
	}
}
