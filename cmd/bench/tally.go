package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// maxErrors bounds the distinct failures a run keeps for the report.
const maxErrors = 5

// tally counts a run's answers. vegeta's Metrics judge by status code
// alone, but GraphQL reports most failures in a 200 answer's "errors", so
// success is counted here and vegeta keeps the latencies and timing.
type tally struct {
	m         vegeta.Metrics
	ok        uint64
	gqlErrors uint64
	errors    []string
	seen      map[string]bool
}

func newTally() *tally { return &tally{seen: map[string]bool{}} }

func (t *tally) add(r *vegeta.Result) {
	t.m.Add(r)
	failure, gql := judge(r)
	switch {
	case failure == "":
		t.ok++
	case gql:
		t.gqlErrors++
	}
	if failure != "" && !t.seen[failure] && len(t.errors) < maxErrors {
		t.seen[failure] = true
		t.errors = append(t.errors, failure)
	}
}

func (t *tally) close() { t.m.Close() }

// row fills a report row's load columns from the tally.
func (t *tally) row(setup, scen string, l load) row {
	return row{Setup: setup, Scenario: scen, Load: l.String(), Requests: t.m.Requests, OK: t.ok, GQLErrors: t.gqlErrors,
		Elapsed: t.m.Duration + t.m.Wait, Sent: t.m.Rate, P50: t.m.Latencies.P50, P99: t.m.Latencies.P99,
		CPUPerReq: unmeasured, DBCPUPerReq: unmeasured, SQLPerReq: unmeasured, AllocsPerReq: unmeasured, Errors: t.errors}
}

// judge says why an answer failed ("" when it succeeded) and whether the
// failure was GraphQL's rather than the transport's.
func judge(r *vegeta.Result) (failure string, gql bool) {
	if msg := graphQLError(r.Body); msg != "" {
		return msg, true
	}
	if r.Error != "" {
		return r.Error, false
	}
	if r.Code < 200 || r.Code > 299 {
		return fmt.Sprintf("HTTP %d", r.Code), false
	}
	return "", false
}

// gqlAnswer is the part of a GraphQL response the harness reads.
type gqlAnswer struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// graphQLError is the first error of a GraphQL answer, "" when it has none.
// Bodies without the word are not decoded: the load generator shares the
// CPU with the server it measures.
func graphQLError(body []byte) string {
	if !bytes.Contains(body, []byte(`"errors"`)) {
		return ""
	}
	var a gqlAnswer
	if err := json.Unmarshal(body, &a); err != nil || len(a.Errors) == 0 {
		return ""
	}
	e := a.Errors[0]
	return fmt.Sprintf("graphql %s: %s", e.Extensions.Code, e.Message)
}
