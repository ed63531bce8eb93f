package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// report is everything one run of the harness prints and writes.
type report struct {
	Started    time.Time
	Machine    machine
	PostgreSQL string
	Go         string
	Commit     string
	Scale      float64
	Seed       time.Duration // 0 when the data was already there
	// Releases is how long computing (or reading, when stored already)
	// the ReleaseMonths months' releases took before the runs.
	Releases      time.Duration
	ReleaseMonths int
	Counts        []count
	Rows          []row
	Ratios        []ratioLine
	Notes         []string
}

// count is the number of rows in one table after the seed.
type count struct {
	Table string
	N     int64
}

// ratioLine compares the hub with a baseline, e.g. hub ÷ raw pgx.
type ratioLine struct {
	Name  string
	Value float64
}

func (r *report) add(rows ...row) { r.Rows = append(r.Rows, rows...) }

func (r *report) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// fileName is bench/results/<YYYY-MM-DD>-<HHMM>-scale<scale>.md's base.
func (r *report) fileName() string {
	return fmt.Sprintf("%s-scale%s.md", r.Started.UTC().Format("2006-01-02-1504"), strconv.FormatFloat(r.Scale, 'g', -1, 64))
}

func (r *report) tableCells() [][]string {
	cells := make([][]string, len(r.Rows))
	for i, row := range r.Rows {
		cells[i] = row.cells()
	}
	return cells
}

func (r *report) ratioCells() [][]string {
	cells := make([][]string, len(r.Ratios))
	for i, l := range r.Ratios {
		cells[i] = []string{l.Name, formatRatio(l.Value)}
	}
	return cells
}

// header lists what a reader needs before comparing two runs.
func (r *report) header() [][2]string {
	seed := "not run (existing data)"
	if r.Seed > 0 {
		seed = r.Seed.Round(100 * time.Millisecond).String()
	}
	var counts []string
	for _, c := range r.Counts {
		counts = append(counts, fmt.Sprintf("%s %d", c.Table, c.N))
	}
	return [][2]string{
		{"date (UTC)", r.Started.UTC().Format("2006-01-02 15:04")},
		{"machine", r.Machine.String()},
		{"PostgreSQL", r.PostgreSQL},
		{"Go", r.Go},
		{"commit", r.Commit},
		{"scale", strconv.FormatFloat(r.Scale, 'g', -1, 64)},
		{"seed time", seed},
		{"releases", fmt.Sprintf("%d months, computed before the runs in %s", r.ReleaseMonths, r.Releases.Round(100*time.Millisecond))},
		{"rows", strings.Join(counts, ", ")},
	}
}

// writeText prints the report for a terminal.
func (r *report) writeText(w io.Writer) {
	for _, h := range r.header() {
		fmt.Fprintf(w, "%-11s %s\n", h[0]+":", h[1])
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, textTable(columns, r.tableCells()))
	if len(r.Ratios) > 0 {
		fmt.Fprintln(w)
		fmt.Fprint(w, textTable([]string{"comparison", "ratio"}, r.ratioCells()))
	}
	for _, line := range r.notesAndErrors() {
		fmt.Fprintln(w, line)
	}
}

// markdown is the report as the results file holds it.
func (r *report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Exit Hub benchmark, scale %s\n\n", strconv.FormatFloat(r.Scale, 'g', -1, 64))
	for _, h := range r.header() {
		fmt.Fprintf(&b, "- **%s**: %s\n", h[0], h[1])
	}
	b.WriteString("\nColumns are explained in bench/README.md.\n\n")
	b.WriteString(markdownTable(columns, r.tableCells()))
	if len(r.Ratios) > 0 {
		b.WriteString("\n")
		b.WriteString(markdownTable([]string{"comparison", "ratio"}, r.ratioCells()))
	}
	if lines := r.notesAndErrors(); len(lines) > 0 {
		b.WriteString("\n")
		for _, l := range lines {
			b.WriteString("- " + strings.TrimPrefix(l, "note: ") + "\n")
		}
	}
	return b.String()
}

// notesAndErrors lists notices and the distinct failures of each run.
func (r *report) notesAndErrors() []string {
	var out []string
	for _, n := range r.Notes {
		out = append(out, "note: "+n)
	}
	for _, row := range r.Rows {
		if len(row.Errors) > 0 {
			out = append(out, fmt.Sprintf("note: %s %s %s failures: %s", row.Setup, row.Scenario, row.Load, strings.Join(row.Errors, "; ")))
		}
	}
	return out
}

// save writes the markdown into dir, creating it, and returns the path.
func (r *report) save(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, r.fileName())
	return path, os.WriteFile(path, []byte(r.markdown()), 0o644)
}
