package graph

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"exithub"
)

// Loaders batch the relations a list fans out over, one set per request, so
// the number of SQL queries of a request does not grow with its page size.
// Each loader is made when first used: most operations use none.
type Loaders struct {
	s              Services
	mu             sync.Mutex
	referralEvents *dataloadgen.Loader[string, []*exithub.ReferralEvent]
	consents       *dataloadgen.Loader[string, []*exithub.Consent]
	courses        *dataloadgen.Loader[courseKey, []*exithub.Course]
	budgetLine     *dataloadgen.Loader[string, *exithub.BudgetLine]
}

// loaderWait is how long a loader waits for more keys before it fetches.
var loaderWait = dataloadgen.WithWait(time.Millisecond)

// made returns the loader *p, making it first if it is not yet.
func made[K comparable, V any](l *Loaders, p **dataloadgen.Loader[K, V], fetch func(context.Context, []K) (map[K]V, error)) *dataloadgen.Loader[K, V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	if *p == nil {
		*p = dataloadgen.NewMappedLoader(fetch, loaderWait)
	}
	return *p
}

// ReferralEvents loads referrals' history and notes.
func (l *Loaders) ReferralEvents() *dataloadgen.Loader[string, []*exithub.ReferralEvent] {
	return made(l, &l.referralEvents, listFetch(l.s.Referrals.ReferralEvents))
}

// Consents loads citizens' consents.
func (l *Loaders) Consents() *dataloadgen.Loader[string, []*exithub.Consent] {
	return made(l, &l.consents, listFetch(l.s.Consents.FindConsents))
}

// Courses loads citizens' courses.
func (l *Loaders) Courses() *dataloadgen.Loader[courseKey, []*exithub.Course] {
	return made(l, &l.courses, listFetch((&Resolver{Services: l.s}).loadCourses))
}

// BudgetLine loads budget lines by id.
func (l *Loaders) BudgetLine() *dataloadgen.Loader[string, *exithub.BudgetLine] {
	return made(l, &l.budgetLine, l.s.BudgetLines.BudgetLinesByIDs)
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
	return &Loaders{s: s}
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
