package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"exithub/server"
)

// appOperations is where the web app's operations are listed for a server
// that runs with --allow-list.
const appOperations = "../../web/operations.graphql"

// TestAppOperationsAreOnTheAllowList: every operation in the app's modules is
// a constant document (nothing spliced in) and is admitted by the allow-list
// built from web/operations.graphql, so the app works on a hub that admits
// only its known clients. The English run of TestAppReferralLoop runs the
// app against such a hub.
func TestAppOperationsAreOnTheAllowList(t *testing.T) {
	list, err := server.LoadAllowList(appOperations)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../../web/app/*.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no app modules: %v", err)
	}
	ops := regexp.MustCompile("`((?:query|mutation|subscription)\\s+\\w+[^`]*)`")
	n := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ops.FindAllStringSubmatch(string(src), -1) {
			n++
			if strings.Contains(m[1], "${") {
				t.Errorf("%s builds an operation at run time: %.60s", f, m[1])
				continue
			}
			doc, gerr := parser.ParseQuery(&ast.Source{Input: m[1]})
			if gerr != nil {
				t.Errorf("%s: %v", f, gerr)
				continue
			}
			oc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0]}
			if err := list.MutateOperationContext(context.Background(), oc); err != nil {
				t.Errorf("%s: %s is not in %s", f, doc.Operations[0].Name, appOperations)
			}
		}
	}
	if n < 20 {
		t.Errorf("found only %d operations in the app's modules", n)
	}
}
