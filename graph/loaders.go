package graph

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"exithub"
	"exithub/db"
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

// NewLoaders returns fresh loaders for one request.
func NewLoaders(d *db.DB) *Loaders {
	wait := dataloadgen.WithWait(time.Millisecond)
	r := &Resolver{DB: d}
	return &Loaders{
		ReferralEvents: dataloadgen.NewMappedLoader(d.ReferralEvents, wait),
		Consents:       dataloadgen.NewMappedLoader(d.FindConsents, wait),
		Courses:        dataloadgen.NewMappedLoader(r.loadCourses, wait),
		BudgetLine:     dataloadgen.NewMappedLoader(d.BudgetLinesByIDs, wait),
	}
}

// WithLoaders is HTTP middleware that gives each request its own loaders;
// a subscription gets them per event instead (see ForContext).
func WithLoaders(d *db.DB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, NewLoaders(d))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (r *Resolver) loaders(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		return l
	}
	return NewLoaders(r.DB)
}

// loadMany loads the rows related to a key; a key with none is an empty list,
// where a mapped loader would answer ErrNotFound (a citizen with no consent
// yet is no error).
func loadMany[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, []V], key K) ([]V, error) {
	vs, err := l.Load(ctx, key)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		err = nil
	}
	if vs == nil {
		vs = []V{}
	}
	return vs, err
}

// withLoaders returns ctx with a fresh set of loaders.
func withLoaders(ctx context.Context, d *db.DB) context.Context {
	return context.WithValue(ctx, loadersKey{}, NewLoaders(d))
}
