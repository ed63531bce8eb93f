package gqlhttptest

import (
	"fmt"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/testserver"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// fatalTB records a failure instead of failing the test, so that a test
// can see RunAudits fail.
type fatalTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmtf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fatalTB) Fatal(args ...any) { f.Fatalf("%v", args...) }

// A stock gqlgen server has warnings (422 and "data": null on validation
// errors), and RunAudits must fail on them: a gate that cannot fail checks
// nothing.
func TestRunAuditsFailsAStockGqlgenServer(t *testing.T) {
	srv := testserver.New()
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		RunAudits(f, hs.URL, "")
	}()
	<-done
	if f.msg == "" {
		t.Fatal("RunAudits passed a stock gqlgen server")
	}
	for _, id := range []string{"FDE2 warn", "5E5B warn", "3E3A notice"} {
		if !strings.Contains(f.msg, id) {
			t.Errorf("the failure does not list audit %s:\n%s", id, f.msg)
		}
	}
}

func TestParseResults(t *testing.T) {
	out := `{"id":"A","name":"MUST a","status":"ok","reason":""}
{"id":"B","name":"SHOULD b","status":"warn","reason":"status 422"}

{"id":"C","name":"MAY c","status":"notice","reason":"status 200"}
Error: something else`
	results, bad := parseResults(out)
	if len(results) != 3 || len(bad) != 3 {
		t.Fatalf("%d results, bad %q", len(results), bad)
	}
	if !strings.Contains(bad[0], "B warn [SHOULD b]: status 422") || !strings.HasPrefix(bad[2], "unexpected output") {
		t.Fatalf("bad %q", bad)
	}
}

func fmtf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
