package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/Khan/genqlient/graphql"
)

// pageSize is how many referrals one request asks for: the most the server
// returns. A variable, so that a test can page through the demo's few.
var pageSize = 100

// runInbox lists the referrals addressed to the NGO, newest first.
func runInbox(ctx context.Context, e *env, args []string) error {
	fs := e.flags("inbox")
	status := fs.String("status", "", "only referrals in this state, e.g. REQUESTED")
	first := fs.Int("first", 20, "how many referrals to list")
	if _, err := parseN(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	if *first < 1 {
		return usagef("inbox: --first must be at least 1")
	}
	filter, err := statusFilter(*status)
	if err != nil {
		return err
	}
	if err := e.opts.check(); err != nil {
		return err
	}
	c, done := e.client()
	defer done()
	rows, err := listInbox(ctx, c, filter, *first)
	if err != nil {
		return err
	}
	return printInbox(e.stdout, rows)
}

// statusFilter checks a --status against the schema's states here, so that a
// typo is named as one instead of coming back as a validation error.
func statusFilter(s string) (*ReferralFilter, error) {
	if s == "" {
		return &ReferralFilter{}, nil
	}
	st := ReferralStatus(strings.ToUpper(s))
	if !slices.Contains(AllReferralStatus, st) {
		return nil, usagef("--status %q is none of %v", s, AllReferralStatus)
	}
	return &ReferralFilter{Status: &st}, nil
}

// listInbox reads up to limit referrals (every one when limit is 0), newest
// first, a page at a time.
func listInbox(ctx context.Context, c graphql.Client, filter *ReferralFilter, limit int) ([]ReferralLine, error) {
	return readPages(limit, func(n int, after *string) ([]ReferralLine, PageCursor, error) {
		resp, err := Inbox(ctx, c, n, after, filter)
		if err != nil {
			return nil, PageCursor{}, err
		}
		rows := make([]ReferralLine, len(resp.Referrals.Edges))
		for i, edge := range resp.Referrals.Edges {
			rows[i] = edge.Node
		}
		return rows, resp.Referrals.PageInfo, nil
	})
}

// readPages reads up to limit rows (every one when limit is 0) through page,
// which reads n rows after a cursor (nil: from the start).
func readPages[T any](limit int, page func(n int, after *string) ([]T, PageCursor, error)) ([]T, error) {
	var out []T
	var after *string
	for limit == 0 || len(out) < limit {
		n := pageSize
		if limit > 0 {
			n = min(limit-len(out), pageSize)
		}
		rows, cursor, err := page(n, after)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if !cursor.HasNextPage || cursor.EndCursor == nil {
			break
		}
		after = cursor.EndCursor
	}
	return out, nil
}

func printInbox(w io.Writer, rows []ReferralLine) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tVERSION\tFROM\tNEEDS\tCREATED")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", r.Id, r.Status, r.Version, r.From.Code, needs(r), created(r))
	}
	return tw.Flush()
}

// eventLine is one line of watch: space-separated fields, so that grep and
// awk can read it.
func eventLine(kind string, r ReferralLine) string {
	return fmt.Sprintf("%s %s %s v%d from=%s needs=%s created=%s", kind, r.Id, r.Status, r.Version, r.From.Code, needs(r), created(r))
}

func needs(r ReferralLine) string {
	s := make([]string, len(r.Needs))
	for i, n := range r.Needs {
		s[i] = string(n)
	}
	return strings.Join(s, ",")
}

func created(r ReferralLine) string {
	return r.CreatedAt.UTC().Format(time.RFC3339)
}
