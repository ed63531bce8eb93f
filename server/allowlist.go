package server

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// AllowList admits only known operations: in production, the operations of
// the hub's own clients (the NGO client, the dashboard), so a stolen token
// cannot run arbitrary queries. Operations are compared in a canonical
// form, so formatting and fragment order do not matter.
type AllowList struct {
	allowed map[string]string // canonical form → where it was read
}

// LoadAllowList reads every .graphql file under path (a file or a folder).
func LoadAllowList(path string) (*AllowList, error) {
	a := &AllowList{allowed: map[string]string{}}
	err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".graphql" {
			return err
		}
		return a.addFile(p)
	})
	if err != nil {
		return nil, fmt.Errorf("allow-list: %w", err)
	}
	if len(a.allowed) == 0 {
		return nil, fmt.Errorf("allow-list: no operations under %s", path)
	}
	return a, nil
}

func (a *AllowList) addFile(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc, gerr := parser.ParseQuery(&ast.Source{Name: path, Input: string(src)})
	if gerr != nil {
		return gerr
	}
	for _, op := range doc.Operations {
		a.allowed[canonical(doc, op)] = path
	}
	return nil
}

// Len is the number of operations allowed.
func (a *AllowList) Len() int { return len(a.allowed) }

// canonical prints an operation with the fragments it reaches, sorted.
func canonical(doc *ast.QueryDocument, op *ast.OperationDefinition) string {
	names := map[string]bool{}
	reach(doc, op.SelectionSet, names)
	out := &ast.QueryDocument{Operations: ast.OperationList{op}}
	var sorted []string
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		if f := doc.Fragments.ForName(n); f != nil {
			out.Fragments = append(out.Fragments, f)
		}
	}
	var b bytes.Buffer
	formatter.NewFormatter(&b).FormatQueryDocument(out)
	return strings.TrimSpace(b.String())
}

func reach(doc *ast.QueryDocument, set ast.SelectionSet, names map[string]bool) {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			reach(doc, s.SelectionSet, names)
		case *ast.InlineFragment:
			reach(doc, s.SelectionSet, names)
		case *ast.FragmentSpread:
			if !names[s.Name] {
				names[s.Name] = true
				if f := doc.Fragments.ForName(s.Name); f != nil {
					reach(doc, f.SelectionSet, names)
				}
			}
		}
	}
}

// ExtensionName implements graphql.HandlerExtension.
func (a *AllowList) ExtensionName() string { return "AllowList" }

// Validate implements graphql.HandlerExtension.
func (a *AllowList) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses an operation that is not on the list.
func (a *AllowList) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if _, ok := a.allowed[canonical(oc.Doc, oc.Operation)]; ok {
		return nil
	}
	err := gqlerror.Errorf("this operation is not on the server's allow-list")
	err.Extensions = map[string]any{"code": "FORBIDDEN"}
	return err
}
