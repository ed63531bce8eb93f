package server

import (
	"context"
	"fmt"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Bounds refuse an abusive document before gqlgen validates it: validation
// costs grow with the square of a selection's fields and with every level
// of fragments spread twice, so a document of a few kilobytes could keep a
// core busy for seconds before any limit answered. Parsing is linear and
// stops at MaxTokens; counting the fields as expanded visits each fragment
// once, so a refusal costs a bounded number of steps whatever the shape.
type Bounds struct {
	MaxBytes  int // length of the query text
	MaxTokens int // lexical tokens of the query text
	MaxFields int // field selections once fragments are expanded

	// passed remembers query texts that were within bounds, so that a
	// client's usual operations are not parsed a second time per request.
	once   sync.Once
	passed *lru.LRU[struct{}]
}

// Of the texts within bounds, the latest boundsCacheSize are remembered if
// at most boundsCacheBytes long, which bounds the memory they hold.
const (
	boundsCacheSize  = 1000
	boundsCacheBytes = 4 << 10
)

// codeTooLarge is the extensions code of a document refused by Bounds.
const codeTooLarge = "DOCUMENT_TOO_LARGE"

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*Bounds)(nil)

// ExtensionName implements graphql.HandlerExtension.
func (*Bounds) ExtensionName() string { return "DocumentBounds" }

// Validate implements graphql.HandlerExtension.
func (*Bounds) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters runs before parsing and validation. A text
// already found within bounds is not checked again: the bounds never
// change, and the check parses the whole document.
func (b *Bounds) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	b.once.Do(func() { b.passed = lru.New[struct{}](boundsCacheSize) })
	if _, ok := b.passed.Get(ctx, p.Query); ok {
		return nil
	}
	_, err := b.Check(p.Query)
	if err == nil && len(p.Query) <= boundsCacheBytes {
		b.passed.Add(ctx, p.Query, struct{}{})
	}
	return err
}

// Check bounds one query text. It returns how many selections it visited,
// which is at most the number of tokens read, so that a test can show the
// refusal's cost does not depend on how the document expands.
func (b *Bounds) Check(query string) (visited int, _ *gqlerror.Error) {
	if b.MaxBytes > 0 && len(query) > b.MaxBytes {
		return 0, tooLarge(fmt.Sprintf("the document is longer than %d bytes", b.MaxBytes))
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, b.MaxTokens)
	if err != nil {
		if b.MaxTokens > 0 && tokenLimitError(err) {
			return 0, tooLarge(fmt.Sprintf("the document has more than %d tokens", b.MaxTokens))
		}
		return 0, nil // a syntax error: the parser answers it again, cheaply
	}
	c := fieldCounter{doc: doc, memo: map[string]int{}, limit: b.MaxFields}
	for _, op := range doc.Operations {
		if n := c.count(op.SelectionSet); b.MaxFields > 0 && n > b.MaxFields {
			return c.visited, tooLarge(fmt.Sprintf("the operation selects more than %d fields once fragments are expanded", b.MaxFields))
		}
	}
	return c.visited, nil
}

func tokenLimitError(err error) bool {
	ge, ok := err.(*gqlerror.Error)
	return ok && len(ge.Message) >= 22 && ge.Message[:22] == "exceeded token limit o"
}

func tooLarge(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": codeTooLarge}}
}

// fieldCounter counts fields as expanded. A fragment's count is computed
// once and remembered; a cycle counts as over the limit (validation would
// refuse it anyway). Counts saturate at the limit so they cannot overflow.
type fieldCounter struct {
	doc     *ast.QueryDocument
	memo    map[string]int
	limit   int
	visited int
}

const inProgress = -1

func (c *fieldCounter) count(set ast.SelectionSet) int {
	n := 0
	for _, s := range set {
		c.visited++
		switch s := s.(type) {
		case *ast.Field:
			n = c.add(n, 1+c.count(s.SelectionSet))
		case *ast.InlineFragment:
			n = c.add(n, c.count(s.SelectionSet))
		case *ast.FragmentSpread:
			n = c.add(n, c.fragment(s.Name))
		}
	}
	return n
}

func (c *fieldCounter) fragment(name string) int {
	switch m, ok := c.memo[name]; {
	case ok && m == inProgress:
		return c.saturated()
	case ok:
		return m
	}
	f := c.doc.Fragments.ForName(name)
	if f == nil {
		return 0 // validation names the unknown fragment
	}
	c.memo[name] = inProgress
	m := c.count(f.SelectionSet)
	c.memo[name] = m
	return m
}

func (c *fieldCounter) add(a, b int) int {
	if s := c.saturated(); a+b > s || a+b < 0 {
		return s
	}
	return a + b
}

func (c *fieldCounter) saturated() int {
	if c.limit > 0 {
		return c.limit + 1
	}
	return 1 << 30
}
