package server

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"exithub/graph"
)

// clientDocuments are every operation the hub's own clients send: the NGO
// client's operations file, the web app's, and the dashboard's queries (its
// trend query at its largest, one alias per date up to MAX_ALIASES).
func clientDocuments(t *testing.T) map[string]string {
	t.Helper()
	docs := map[string]string{}
	ngo, err := os.ReadFile("../cmd/ngo-client/operations.graphql")
	if err != nil {
		t.Fatal(err)
	}
	docs["ngo-client"] = string(ngo)
	app, err := os.ReadFile("../web/operations.graphql")
	if err != nil {
		t.Fatal(err)
	}
	docs["web app"] = string(app)
	js, err := os.ReadFile("../web/static/queries.js")
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range regexp.MustCompile("(?s)`((?:query|mutation)[^`]*)`").FindAllStringSubmatch(string(js), -1) {
		if !strings.Contains(m[1], "${") {
			docs[fmt.Sprintf("dashboard %d", i)] = m[1]
		}
	}
	n := regexp.MustCompile(`MAX_ALIASES = (\d+)`).FindStringSubmatch(string(js))
	if n == nil {
		t.Fatal("queries.js no longer says MAX_ALIASES")
	}
	var trend strings.Builder
	var size int
	if _, err := fmt.Sscan(n[1], &size); err != nil {
		t.Fatal(err)
	}
	trend.WriteString("query DashboardTrend(")
	for i := range size {
		fmt.Fprintf(&trend, "$d%d: Date! ", i)
	}
	trend.WriteString(") {\n")
	for i := range size {
		fmt.Fprintf(&trend, "  p%d: statistics(asOf: $d%d) { ...TrendPoint }\n", i, i)
	}
	trend.WriteString("}\nfragment TrendPoint on Statistics { threshold categories { category persons { value suppressed } } }")
	docs["dashboard trend"] = trend.String()
	return docs
}

// Every operation of the hub's clients passes the default limits with its
// pages at their largest.
func TestClientOperationsPassTheLimits(t *testing.T) {
	cfg := DefaultConfig()
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	bounds := &Bounds{MaxBytes: cfg.MaxDocumentBytes, MaxTokens: cfg.MaxTokens, MaxFields: cfg.MaxFields}
	cost := Cost{Max: cfg.MaxComplexity, MaxPage: 100, ListSize: cfg.ListSize}
	limits := Limits{MaxDepth: cfg.MaxDepth, MaxAliases: cfg.MaxAliases, MaxDirectives: cfg.MaxDirectives}
	for name, src := range clientDocuments(t) {
		if _, err := bounds.Check(src); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		doc, err := parser.ParseQuery(&ast.Source{Input: src})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if errs := validator.Validate(schema, doc); len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		for _, op := range doc.Operations {
			vars := map[string]any{}
			for _, v := range op.VariableDefinitions {
				if v.Type.Name() == "Int" {
					vars[v.Variable] = int64(100)
				}
			}
			c := cost.Of(op, vars)
			t.Logf("%s %s costs %d", name, op.Name, c)
			oc := &graphql.OperationContext{Doc: doc, Operation: op, Variables: vars}
			for _, limit := range []graphql.OperationContextMutator{limits, cost} {
				if err := limit.MutateOperationContext(context.Background(), oc); err != nil {
					t.Errorf("%s %s: %v", name, op.Name, err)
				}
			}
		}
	}
}

// The names metrics may show are exactly the clients' operation names.
func TestClientOperationNamesAreKnown(t *testing.T) {
	want := map[string]bool{}
	for name, src := range clientDocuments(t) {
		doc, err := parser.ParseQuery(&ast.Source{Input: src})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, op := range doc.Operations {
			want[op.Name] = true
		}
	}
	got := operationNames(nil)
	for n := range want {
		if !got[n] {
			t.Errorf("%s is a client's operation but would be labelled other", n)
		}
	}
	for n := range got {
		if !want[n] {
			t.Errorf("%s is in clientOperations but no client sends it", n)
		}
	}
}
