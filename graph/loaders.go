package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"exithub"
)

// Loaders batch the relations a list fans out over, one set per request, so
// the number of SQL queries of a request does not grow with its page size.
type Loaders struct {
	ReferralEvents *dataloadgen.Loader[string, []*exithub.ReferralEvent]
	Consents       *dataloadgen.Loader[string, []*exithub.Consent]
	Courses        *dataloadgen.Loader[courseKey, []*exithub.Course]
	BudgetLine     *dataloadgen.Loader[string, *exithub.BudgetLine]
}

type loadersKey struct{}

// listFetch makes a fetch of lists answer an empty list for every key it
// found no rows for: a mapped loader otherwise fails such a key with
// "not found", and a citizen without consents is no error.
func listFetch[K comparable, V any](fetch func(context.Context, []K) (map[K][]V, error)) func(context.Context, []K) (map[K][]V, error) {
	return func(ctx context.Context, keys []K) (map[K][]V, error) {
		m, err := fetch(ctx, keys)
		if err != nil {
			return nil, err
		}
		if m == nil {
			m = make(map[K][]V, len(keys))
		}
		for _, k := range keys {
			if m[k] == nil {
				m[k] = []V{}
			}
		}
		return m, nil
	}
}

// NewLoaders returns fresh loaders for one request.
func NewLoaders(s Services) *Loaders {
	wait := dataloadgen.WithWait(time.Millisecond)
	r := &Resolver{Services: s}
	return &Loaders{
		ReferralEvents: dataloadgen.NewMappedLoader(listFetch(s.Referrals.ReferralEvents), wait),
		Consents:       dataloadgen.NewMappedLoader(listFetch(s.Consents.FindConsents), wait),
		Courses:        dataloadgen.NewMappedLoader(listFetch(r.loadCourses), wait),
		BudgetLine:     dataloadgen.NewMappedLoader(s.BudgetLines.BudgetLinesByIDs, wait),
	}
}

// WithLoaders is HTTP middleware that gives each request its own loaders;
// a subscription gets them per event instead (see ForContext).
func WithLoaders(s Services, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, NewLoaders(s))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (r *Resolver) loaders(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		return l
	}
	return NewLoaders(r.Services)
}

// withLoaders returns ctx with a fresh set of loaders.
func withLoaders(ctx context.Context, s Services) context.Context {
	return context.WithValue(ctx, loadersKey{}, NewLoaders(s))
}
