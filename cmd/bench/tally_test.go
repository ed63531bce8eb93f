package main

import (
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func TestJudge(t *testing.T) {
	cases := []struct {
		name    string
		res     vegeta.Result
		failure string
		gql     bool
	}{
		{"data", vegeta.Result{Code: 200, Body: []byte(`{"data":{"referrals":{"edges":[]}}}`)}, "", false},
		{"graphql error in a 200", vegeta.Result{Code: 200,
			Body: []byte(`{"errors":[{"message":"no","extensions":{"code":"FORBIDDEN"}}],"data":null}`)}, "graphql FORBIDDEN: no", true},
		{"rate limited", vegeta.Result{Code: 429, Error: "429 Too Many Requests",
			Body: []byte(`{"errors":[{"message":"slow down","extensions":{"code":"RATE_LIMITED"}}]}`)}, "graphql RATE_LIMITED: slow down", true},
		{"transport", vegeta.Result{Error: "connection refused"}, "connection refused", false},
		{"plain 500", vegeta.Result{Code: 500, Error: "500 Internal Server Error", Body: []byte("boom")}, "500 Internal Server Error", false},
		{"word in data", vegeta.Result{Code: 200, Body: []byte(`{"data":{"note":"\"errors\""}}`)}, "", false},
	}
	for _, c := range cases {
		f, gql := judge(&c.res)
		if f != c.failure || gql != c.gql {
			t.Errorf("%s: judge = %q, %v; want %q, %v", c.name, f, gql, c.failure, c.gql)
		}
	}
}

func TestTallyCountsGraphQLErrorsAsFailures(t *testing.T) {
	tl := newTally()
	start := time.Now()
	for i := range 10 {
		r := &vegeta.Result{Code: 200, Timestamp: start.Add(time.Duration(i) * 100 * time.Millisecond), Latency: time.Millisecond,
			Body: []byte(`{"data":{}}`)}
		if i%5 == 0 {
			r.Body = []byte(`{"errors":[{"message":"x","extensions":{"code":"INTERNAL"}}]}`)
		}
		tl.add(r)
	}
	tl.close()
	r := tl.row("hub", "inbox", load{Workers: 4})
	if r.Requests != 10 || r.OK != 8 || r.GQLErrors != 2 || r.Success() != 0.8 || len(r.Errors) != 1 {
		t.Fatalf("row %+v", r)
	}
	if !strings.Contains(r.Errors[0], "INTERNAL") || r.Load != "peak 4w" {
		t.Fatalf("row %+v", r)
	}
}
