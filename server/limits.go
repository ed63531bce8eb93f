package server

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits bound what one document may ask, so that no single request can
// make the server do unbounded work.
type Limits struct {
	MaxDepth      int // nesting of selections
	MaxAliases    int // aliased fields in one operation
	MaxDirectives int // directives on one field or fragment spread
	// Introspection allows __schema and __type; off in production, so that
	// the schema is not handed to whoever holds a token.
	Introspection bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Limits{}

// ExtensionName implements graphql.HandlerExtension.
func (Limits) ExtensionName() string { return "DocumentLimits" }

// Validate implements graphql.HandlerExtension.
func (Limits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext walks the validated operation once and refuses it
// when it is too deep, has too many aliases or repeats directives.
func (l Limits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	w := walker{doc: oc.Doc, limits: l, seen: map[string]bool{}}
	w.selections(oc.Operation.SelectionSet, 1)
	if w.err != "" {
		err := gqlerror.Errorf("%s", w.err)
		err.Extensions = map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}
		return err
	}
	return nil
}

// introspectionDepth bounds an introspection query instead of MaxDepth:
// graphql-js's getIntrospectionQuery nests type references 15 levels deep,
// and a schema tool must be able to send it wherever introspection is on.
const introspectionDepth = 20

type walker struct {
	doc           *ast.QueryDocument
	limits        Limits
	aliases       int
	seen          map[string]bool
	introspecting bool // inside __schema or __type
	err           string
}

func (w *walker) selections(set ast.SelectionSet, depth int) {
	for _, s := range set {
		if w.err != "" {
			return
		}
		switch s := s.(type) {
		case *ast.Field:
			w.field(s, depth)
		case *ast.InlineFragment:
			w.directives(s.Directives)
			w.selections(s.SelectionSet, depth)
		case *ast.FragmentSpread:
			w.directives(s.Directives)
			if f := w.doc.Fragments.ForName(s.Name); f != nil && !w.seen[s.Name] {
				w.seen[s.Name] = true // validation refuses cycles; this only bounds repeats
				w.selections(f.SelectionSet, depth)
				w.seen[s.Name] = false
			}
		}
	}
}

func (w *walker) field(f *ast.Field, depth int) {
	intro := f.Name == "__schema" || f.Name == "__type"
	if intro && !w.limits.Introspection {
		w.err = "introspection is disabled"
		return
	}
	if intro && !w.introspecting {
		// Only schema types are below: the data's depth limit is not theirs.
		w.introspecting = true
		defer func() { w.introspecting = false }()
	}
	switch {
	case w.introspecting && depth > introspectionDepth:
		w.err = fmt.Sprintf("the introspection query is nested deeper than the limit of %d", introspectionDepth)
		return
	case !w.introspecting && w.limits.MaxDepth > 0 && depth > w.limits.MaxDepth:
		w.err = fmt.Sprintf("the query is nested deeper than the limit of %d", w.limits.MaxDepth)
		return
	}
	if f.Alias != "" && f.Alias != f.Name {
		w.aliases++
		if w.limits.MaxAliases > 0 && w.aliases > w.limits.MaxAliases {
			w.err = fmt.Sprintf("the query has more than %d aliases", w.limits.MaxAliases)
			return
		}
	}
	w.directives(f.Directives)
	w.selections(f.SelectionSet, depth+1)
}

func (w *walker) directives(ds ast.DirectiveList) {
	if w.limits.MaxDirectives > 0 && len(ds) > w.limits.MaxDirectives {
		w.err = fmt.Sprintf("a selection carries more than %d directives", w.limits.MaxDirectives)
	}
}
