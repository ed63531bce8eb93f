package graph_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"

	"exithub"
	"exithub/graph"
	"exithub/policy"
)

// oneChange is a change listener that has one change to tell.
type oneChange struct{ c exithub.ReferralChange }

func (o oneChange) Subscribe() (<-chan exithub.ReferralChange, func(), error) {
	ch := make(chan exithub.ReferralChange, 1)
	ch <- o.c
	return ch, func() {}, nil
}

// An event carries the referral as the subscription asks for it, its
// organisations and history included.
func TestAnEventCarriesTheReferralAsAsked(t *testing.T) {
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &eventsReferrals{}
	s := graph.Services{Referrals: f, Directory: codeDirectory{},
		Changes: oneChange{exithub.ReferralChange{ReferralID: "r1", NGOID: "n1", MunicipalityID: "m1", Kind: "CREATED"}}}
	exec := executor.New(graph.NewExecutableSchema(graph.Config{
		Resolvers:  &graph.Resolver{Services: s, Authz: authz},
		Directives: graph.Directives(authz, func(context.Context, *exithub.Principal, string) {}),
	}))
	ctx, cancel := context.WithCancel(exithub.NewContextWithPrincipal(context.Background(), ngoWorker))
	ctx = graphql.StartOperationTrace(ctx)
	defer cancel()
	oc, errs := exec.CreateOperationContext(ctx, &graphql.RawParams{
		Query: `subscription { referralEvents { kind referral { id from { code } to { code } history { to } notes { text } } } }`})
	if errs != nil {
		t.Fatal(errs)
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	if resp == nil || len(resp.Errors) != 0 {
		t.Fatalf("first event: %+v", resp)
	}
	var got struct {
		ReferralEvents struct {
			Kind     string
			Referral json.RawMessage
		}
	}
	if err := json.Unmarshal(resp.Data, &got); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"` + globalID("Referral", "r1") + `","from":{"code":"code of m1"},"to":{"code":"code of n1"},` +
		`"history":[{"to":"REQUESTED"}],"notes":[{"text":"a note on r1"}]}`
	if got.ReferralEvents.Kind != "CREATED" || string(got.ReferralEvents.Referral) != want {
		t.Fatalf("event %s %s, want CREATED %s", got.ReferralEvents.Kind, got.ReferralEvents.Referral, want)
	}
}
