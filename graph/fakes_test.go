package graph_test

import (
	"context"
	"encoding/base64"
	"testing"

	"exithub"
)

// fakeReferrals answers from memory and records what it was asked; a
// method it does not define panics (the embedded interface is nil), so a
// resolver that calls something unexpected fails the test.
type fakeReferrals struct {
	exithub.ReferralService
	err error // what every call answers, when set

	created     []exithub.CreateReferral
	transitions []exithub.Transition
	found       []string // the ids FindReferral was asked for
	filter      exithub.ReferralFilter
	page        exithub.Page
	parts       exithub.ReferralParts
	listed      int

	rows []*exithub.Referral
	info exithub.PageInfo
}

// referral is what the fake answers for id: a referral in state REQUESTED.
func referral(id string) *exithub.Referral {
	return &exithub.Referral{ID: id, Status: exithub.StatusRequested, Version: 1, Message: "message of " + id}
}

func (f *fakeReferrals) CreateReferral(_ context.Context, in exithub.CreateReferral) (*exithub.Referral, error) {
	f.created = append(f.created, in)
	if f.err != nil {
		return nil, f.err
	}
	return referral("r1"), nil
}

func (f *fakeReferrals) TransitionReferral(_ context.Context, t exithub.Transition) (*exithub.Referral, error) {
	f.transitions = append(f.transitions, t)
	if f.err != nil {
		return nil, f.err
	}
	r := referral(t.ReferralID)
	r.Version = 2
	return r, nil
}

func (f *fakeReferrals) FindReferral(_ context.Context, id string) (*exithub.Referral, error) {
	f.found = append(f.found, id)
	if f.err != nil {
		return nil, f.err
	}
	return referral(id), nil
}

func (f *fakeReferrals) FindReferrals(_ context.Context, filter exithub.ReferralFilter, p exithub.Page, parts exithub.ReferralParts) ([]*exithub.Referral, exithub.PageInfo, error) {
	f.listed++
	f.filter, f.page, f.parts = filter, p, parts
	if f.err != nil {
		return nil, exithub.PageInfo{}, f.err
	}
	return f.rows, f.info, nil
}

// fakeConsents records the consents it is given.
type fakeConsents struct {
	exithub.ConsentService
	given []exithub.GiveConsent
}

func (f *fakeConsents) GiveConsent(_ context.Context, in exithub.GiveConsent) (*exithub.Consent, error) {
	f.given = append(f.given, in)
	return &exithub.Consent{ID: "k1", Purpose: in.Purpose, Details: in.Details, GivenOn: in.GivenOn, ExpiresOn: in.ExpiresOn}, nil
}

// globalID is a Relay global id as clients see it, spelt out here rather
// than taken from the code under test.
func globalID(typ, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + id))
}

// at walks an answer along keys and list indexes.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, k := range path {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("no %q in %v", k, v)
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("no [%d] in %v", k, v)
			}
			v = l[k]
		}
	}
	return v
}

// onlyError returns the answer's one error, failing unless there is
// exactly one.
func onlyError(t *testing.T, out map[string]any) (message string, ext map[string]any) {
	t.Helper()
	errs, _ := out["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("want one error: %v", out)
	}
	e := errs[0].(map[string]any)
	ext, _ = e["extensions"].(map[string]any)
	message, _ = e["message"].(string)
	return message, ext
}
