package main

import (
	"flag"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

func TestFlagsMayFollowPositionalArguments(t *testing.T) {
	cases := []struct {
		args, pos []string
		reason    string
	}{
		{[]string{"ID", "--reason", "full"}, []string{"ID"}, "full"},
		{[]string{"--reason", "full", "ID", "more"}, []string{"ID", "more"}, "full"},
		{[]string{"ID", "--", "--reason", "x"}, []string{"ID", "--reason", "x"}, ""},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		reason := fs.String("reason", "", "")
		pos, err := parse(fs, c.args)
		if err != nil || !slices.Equal(pos, c.pos) || *reason != c.reason {
			t.Errorf("%q: got %q, reason %q, %v", c.args, pos, *reason, err)
		}
	}
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	b := backoff{min: 100 * time.Millisecond, max: 5 * time.Second}
	want := []time.Duration{100, 200, 400, 800, 1600, 3200, 5000, 5000}
	for i, w := range want {
		w *= time.Millisecond
		if d := b.next(); d < w/2 || d > w {
			t.Fatalf("wait %d is %v, want between %v and %v", i, d, w/2, w)
		}
	}
	b.reset()
	if d := b.next(); d > 100*time.Millisecond {
		t.Fatalf("after reset the wait is %v", d)
	}
}

func TestServerErrorsAreDescribedByTheirCode(t *testing.T) {
	conflict := gqlerror.List{{Message: "a referral that is REQUESTED cannot be accepted",
		Extensions: map[string]any{"code": "CONFLICT"}}}
	unauth := &graphql.HTTPError{StatusCode: 401, Response: graphql.Response{Errors: gqlerror.List{{Message: "no token",
		Extensions: map[string]any{"code": "UNAUTHENTICATED", "requestId": "r1"}}}}}
	cases := []struct {
		err   error
		want  string
		final bool
	}{
		{conflict, "CONFLICT: a referral that is REQUESTED cannot be accepted", true},
		{unauth, "HTTP 401: UNAUTHENTICATED: no token [requestId=r1]", true},
	}
	for _, c := range cases {
		if got := describe(c.err); got != c.want || final(c.err) != c.final {
			t.Errorf("got %q (final %v), want %q (final %v)", got, final(c.err), c.want, c.final)
		}
	}
}

func TestAnErrorMessageReachesGenqlientAsAResultWithErrors(t *testing.T) {
	out, pass, err := (&wsConn{}).translate([]byte(`{"type":"error","id":"1","payload":[{"message":"no","extensions":{"code":"FORBIDDEN"}}]}`))
	if err != nil || !pass || !strings.Contains(string(out), `"type":"next"`) || !strings.Contains(string(out), `"payload":{"errors":[{"message":"no"`) {
		t.Fatalf("got %s, %v, %v", out, pass, err)
	}
}
