package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/Khan/genqlient/graphql"
)

// transitionFunc takes a referral to its next state and returns it as it
// now is.
type transitionFunc func(context.Context, graphql.Client, ReferralTransitionInput) (ReferralLine, error)

// transitions is each command's mutation. GraphQL cannot choose a field by a
// variable, so each transition is an operation of its own.
var transitions = map[string]transitionFunc{
	"receive":  via(ReceiveReferral, func(r *ReceiveReferralResponse) ReferralLine { return r.ReceiveReferral.ReferralLine }),
	"accept":   via(AcceptReferral, func(r *AcceptReferralResponse) ReferralLine { return r.AcceptReferral.ReferralLine }),
	"reject":   via(RejectReferral, func(r *RejectReferralResponse) ReferralLine { return r.RejectReferral.ReferralLine }),
	"start":    via(StartReferral, func(r *StartReferralResponse) ReferralLine { return r.StartReferral.ReferralLine }),
	"complete": via(CompleteReferral, func(r *CompleteReferralResponse) ReferralLine { return r.CompleteReferral.ReferralLine }),
	"fail":     via(FailReferral, func(r *FailReferralResponse) ReferralLine { return r.FailReferral.ReferralLine }),
}

// via adapts a generated mutation to a transitionFunc.
func via[R any](call func(context.Context, graphql.Client, ReferralTransitionInput) (*R, error), line func(*R) ReferralLine) transitionFunc {
	return func(ctx context.Context, c graphql.Client, in ReferralTransitionInput) (ReferralLine, error) {
		r, err := call(ctx, c, in)
		if err != nil {
			return ReferralLine{}, err
		}
		return line(r), nil
	}
}

// required names the flag a transition cannot do without. The server would
// refuse too, but only after a round trip.
var required = map[string]string{"reject": "reason", "fail": "reason", "complete": "outcome"}

// transitionCommand is the command taking a referral through one transition.
func transitionCommand(action string) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		in, err := transitionInput(e, action, args)
		if err != nil {
			return err
		}
		if err := e.opts.check(); err != nil {
			return err
		}
		c, done := e.client()
		defer done()
		r, err := transitions[action](ctx, c, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %s v%d\n", r.Id, r.Status, r.Version)
		return nil
	}
}

func transitionInput(e *env, action string, args []string) (ReferralTransitionInput, error) {
	fs := e.flags(action)
	reason := fs.String("reason", "", "why (required to reject and to fail)")
	outcome := fs.String("outcome", "", "the outcome (required to complete)")
	var version *int
	fs.Func("expected-version", "the version last seen; the server refuses a stale one with CONFLICT", func(s string) error {
		v, err := strconv.Atoi(s)
		version = &v
		return err
	})
	pos, err := parseN(fs, args, 1, "the referral's ID")
	if err != nil {
		return ReferralTransitionInput{}, err
	}
	given := map[string]*string{"reason": reason, "outcome": outcome}
	if need, ok := required[action]; ok && strings.TrimSpace(*given[need]) == "" {
		return ReferralTransitionInput{}, usagef("%s: --%s is required", action, need)
	}
	return ReferralTransitionInput{Id: pos[0], ExpectedVersion: version, Reason: optional(*reason), Outcome: optional(*outcome)}, nil
}

// optional is nil for an empty string: a flag not given is sent as null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// runNote adds a progress note, which the referring municipality sees.
func runNote(ctx context.Context, e *env, args []string) error {
	fs := e.flags("note")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("note: want the referral's ID and the text")
	}
	if err := e.opts.check(); err != nil {
		return err
	}
	c, done := e.client()
	defer done()
	// The words of an unquoted text arrive as separate arguments.
	resp, err := AddReferralNote(ctx, c, AddReferralNoteInput{Id: pos[0], Text: strings.Join(pos[1:], " ")})
	if err != nil {
		return err
	}
	n := resp.AddReferralNote
	fmt.Fprintf(e.stdout, "%s note by %s at %s\n", pos[0], n.Actor, n.At.UTC().Format("2006-01-02T15:04:05Z"))
	return nil
}
