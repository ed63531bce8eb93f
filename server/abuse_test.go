package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"exithub"
)

// graphQLOnly is the hub's GraphQL handler with the default limits and a
// principal already in the context: what it refuses, it refuses before any
// resolver or the database is reached (there is no database here).
func graphQLOnly(t testing.TB, cfg Config) http.Handler {
	t.Helper()
	s := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Backend{Refusals: nopRefusals{}}, nil, nil)
	h := s.graphQL()
	p := &exithub.Principal{Sub: "a", Role: exithub.RoleCaseworker, Org: exithub.Organisation{Code: "101"}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(exithub.NewContextWithPrincipal(r.Context(), p)))
	})
}

func post(h http.Handler, query string) *httptest.ResponseRecorder {
	body, _ := json.Marshal(map[string]any{"query": query}) // a string always marshals
	r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

type answer struct {
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func decode(t testing.TB, w *httptest.ResponseRecorder) answer {
	t.Helper()
	var a answer
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
		t.Fatalf("%v: %s", err, w.Body.String())
	}
	return a
}

func repeat(field string, n int) string {
	return "{ " + strings.Repeat(field+" ", n) + "}"
}

// fanOut is a document of a few hundred bytes whose fragments, each
// spreading the one below twice, expand to 2^levels fields.
func fanOut(levels int) string {
	var b strings.Builder
	b.WriteString("{ me { ...F0 } }\n")
	for i := range levels {
		fmt.Fprintf(&b, "fragment F%d on Principal { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Principal { sub }\n", levels)
	return b.String()
}

// aliasedPages asks 30 times for 100 citizens with 100 audit records each.
func aliasedPages() string {
	var b strings.Builder
	b.WriteString("{")
	for i := range 30 {
		fmt.Fprintf(&b, " c%d: citizens(first: 100) { edges { node { id accessLog(first: 100) { edges { node { id objects { id type } } } } } } }", i)
	}
	b.WriteString(" }")
	return b.String()
}

// worstDocuments are the abusive documents of the attack, with the code
// each must be refused with.
func worstDocuments() []struct{ name, query, code string } {
	return []struct{ name, query, code string }{
		{"__typename × 8000", repeat("__typename", 8000), codeTooLarge},
		{"__typename × 16000", repeat("__typename", 16000), codeTooLarge},
		{"me { sub } × 4000", repeat("me { sub }", 4000), codeTooLarge},
		{"fragment fan-out of 24 levels", fanOut(24), codeTooLarge},
		{"30 aliased pages of 100 × 100", aliasedPages(), codeCost},
	}
}

func TestAbusiveDocumentsAreRefused(t *testing.T) {
	h := graphQLOnly(t, DefaultConfig())
	for _, d := range worstDocuments() {
		a := decode(t, post(h, d.query))
		if len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != d.code {
			t.Errorf("%s: want %s, got %+v", d.name, d.code, a.Errors)
		}
	}
}

// The bounds answer before validation: a document both too large and
// invalid (its field does not exist) is refused as too large, and the
// refusal visits at most as many selections as the document spells out,
// however many it expands to.
func TestBoundsRefuseBeforeValidation(t *testing.T) {
	cfg := DefaultConfig()
	h := graphQLOnly(t, cfg)
	invalid := strings.Replace(fanOut(24), "{ sub }", "{ noSuchField }", 1)
	a := decode(t, post(h, invalid))
	if len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != codeTooLarge {
		t.Fatalf("an invalid fan-out was not refused by the bounds first: %+v", a.Errors)
	}
	b := Bounds{MaxBytes: cfg.MaxDocumentBytes, MaxTokens: cfg.MaxTokens, MaxFields: cfg.MaxFields}
	for _, levels := range []int{24, 40} {
		visited, err := b.Check(fanOut(levels))
		if err == nil || err.Extensions["code"] != codeTooLarge {
			t.Fatalf("fan-out of %d levels: %v", levels, err)
		}
		if spelled := 2*levels + 3; visited > spelled {
			t.Fatalf("fan-out of %d levels: visited %d selections, more than the %d written", levels, visited, spelled)
		}
	}
	// 5,000 fields in 10 KB: under the byte limit, over the token limit,
	// which stops the parser before any selection is counted.
	if visited, err := b.Check(repeat("a", 5000)); err == nil || visited != 0 {
		t.Fatalf("5,000 fields: refused after visiting %d (%v); the token limit should stop the parser first", visited, err)
	}
}

// The cost counts lists by their page and says what it came to.
func TestCostWeighsListsByFirst(t *testing.T) {
	h := graphQLOnly(t, DefaultConfig())
	a := decode(t, post(h, aliasedPages()))
	if len(a.Errors) != 1 {
		t.Fatalf("%+v", a.Errors)
	}
	ext := a.Errors[0].Extensions
	if ext["code"] != codeCost || ext["cost"].(float64) < 1e6 || ext["maxCost"].(float64) != DefaultMaxCost {
		t.Fatalf("cost not reported: %+v", ext)
	}
	one := `{ citizens(first: 100) { edges { node { id accessLog(first: 100) { edges { node { id } } } } } } }`
	if a := decode(t, post(h, one)); len(a.Errors) != 1 || a.Errors[0].Extensions["cost"].(float64) < 10000 {
		t.Fatalf("one page of 100 × 100 passed: %+v", a.Errors)
	}
}

func BenchmarkRefusal(b *testing.B) {
	h := graphQLOnly(b, DefaultConfig())
	for _, d := range worstDocuments() {
		b.Run(d.name, func(b *testing.B) {
			for b.Loop() {
				if w := post(h, d.query); !strings.Contains(w.Body.String(), d.code) {
					b.Fatal(w.Body.String())
				}
			}
		})
	}
}

// An answer whose data is larger than MaxResponseBytes is replaced by an
// error, whatever made it large.
func TestResponsesAreBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxResponseBytes = 40
	h := graphQLOnly(t, cfg)
	if a := decode(t, post(h, "{ __typename }")); len(a.Errors) != 0 {
		t.Fatalf("a small answer: %+v", a.Errors)
	}
	w := post(h, "{ a: __typename b: __typename c: __typename d: __typename }")
	if a := decode(t, w); len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != codeResponseTooLarge || strings.Contains(w.Body.String(), `"data":{`) {
		t.Fatalf("an answer over 40 bytes: %s", w.Body.String())
	}
}
