package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

const exportQuery = `query($d: Date!, $g: [StatisticsDimension!]) { statisticsExport(asOf: $d, groupBy: $g) {
  asOf threshold perturbed personsHelped { value suppressed }
  categories { category courseState track municipality { code } homeMunicipality { code } gender birthYearBand persons { value suppressed } } } }`

// runExport writes the statistics for the evaluator as the principal of
// the token, through the server's API, so the same policy applies and the
// same invariants and stored monthly releases come out as for any other client.
func runExport(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 || args[0] != "statistics" {
		return fmt.Errorf("usage: exithub export statistics --as-of DATE --format csv|json --token T [--group-by DIM,...]")
	}
	fs := flag.NewFlagSet("export statistics", flag.ContinueOnError)
	asOf := fs.String("as-of", "", "the day (YYYY-MM-DD)")
	format := fs.String("format", "csv", "csv or json")
	token := fs.String("token", env("EXITHUB_TOKEN", ""), "bearer token (EXITHUB_TOKEN)")
	endpoint := fs.String("endpoint", env("EXITHUB_ENDPOINT", "http://127.0.0.1:8080/graphql"), "GraphQL endpoint (EXITHUB_ENDPOINT)")
	groupBy := fs.String("group-by", "", "comma-separated dimensions: MUNICIPALITY, HOME_MUNICIPALITY, GENDER, BIRTH_YEAR_BAND")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *asOf == "" || *token == "" || (*format != "csv" && *format != "json") {
		return fmt.Errorf("export needs --as-of, --token and --format csv|json")
	}
	stats, err := fetchStatistics(ctx, *endpoint, *token, *asOf, dims(*groupBy))
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(stats)
	}
	return writeCSV(stdout, stats)
}

func dims(s string) []string {
	out := []string{}
	for _, d := range strings.Split(s, ",") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// exportStats is the answer as the API gives it.
type exportStats struct {
	AsOf          string      `json:"asOf"`
	Threshold     int         `json:"threshold"`
	Perturbed     bool        `json:"perturbed"`
	PersonsHelped exportCell  `json:"personsHelped"`
	Categories    []exportRow `json:"categories"`
}

type exportCell struct {
	Value      *int `json:"value"`
	Suppressed bool `json:"suppressed"`
}

type exportRow struct {
	Category         string     `json:"category"`
	CourseState      *string    `json:"courseState"`
	Track            *string    `json:"track"`
	Municipality     *codeOnly  `json:"municipality"`
	HomeMunicipality *codeOnly  `json:"homeMunicipality"`
	Gender           *string    `json:"gender"`
	BirthYearBand    *string    `json:"birthYearBand"`
	Persons          exportCell `json:"persons"`
}

type codeOnly struct {
	Code string `json:"code"`
}

func fetchStatistics(ctx context.Context, endpoint, token, asOf string, groupBy []string) (*exportStats, error) {
	body, err := json.Marshal(map[string]any{"query": exportQuery, "variables": map[string]any{"d": asOf, "g": groupBy}})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			StatisticsExport *exportStats `json:"statisticsExport"`
		} `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("export: the server answered %s, not GraphQL JSON", resp.Status)
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("export refused: %s (%v)", out.Errors[0].Message, out.Errors[0].Extensions["code"])
	}
	return out.Data.StatisticsExport, nil
}

func writeCSV(w io.Writer, s *exportStats) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"as_of", "category", "course_state", "track", "municipality", "home_municipality", "gender", "birth_year_band", "persons", "suppressed"})
	cw.Write([]string{s.AsOf, "ALL", "", "", "", "", "", "", cellText(s.PersonsHelped), fmt.Sprint(s.PersonsHelped.Suppressed)})
	for _, r := range s.Categories {
		cw.Write([]string{s.AsOf, r.Category, str(r.CourseState), str(r.Track), code(r.Municipality), code(r.HomeMunicipality),
			str(r.Gender), str(r.BirthYearBand), cellText(r.Persons), fmt.Sprint(r.Persons.Suppressed)})
	}
	cw.Flush()
	return cw.Error()
}

func cellText(c exportCell) string {
	if c.Value == nil {
		return ""
	}
	return fmt.Sprint(*c.Value)
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func code(c *codeOnly) string {
	if c == nil {
		return ""
	}
	return c.Code
}
