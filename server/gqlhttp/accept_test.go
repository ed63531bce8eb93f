package gqlhttp

import "testing"

func TestNegotiate(t *testing.T) {
	cases := []struct {
		accept []string
		want   string // "" for 406
	}{
		{nil, mediaJSON},
		{[]string{""}, mediaJSON},
		{[]string{"application/json"}, mediaJSON},
		{[]string{"application/graphql-response+json"}, mediaGraphQLResponse},
		{[]string{"application/graphql-response+json, application/json"}, mediaGraphQLResponse},
		{[]string{"application/json", "application/graphql-response+json"}, mediaGraphQLResponse},
		{[]string{"application/json, application/graphql-response+json;q=0.9"}, mediaJSON},
		{[]string{"application/graphql-response+json; charset=utf-8; q=0.5, */*;q=0.4"}, mediaGraphQLResponse},
		{[]string{"APPLICATION/GRAPHQL-RESPONSE+JSON"}, mediaGraphQLResponse},
		{[]string{"*/*"}, mediaJSON},
		{[]string{"application/*"}, mediaJSON},
		{[]string{"application/*;q=0, application/json"}, mediaJSON},
		{[]string{"application/json;q=0, */*"}, ""},
		{[]string{"application/json;q=0, application/*"}, ""},
		{[]string{"application/graphql-response+json;q=0, */*"}, mediaJSON},
		{[]string{"application/graphql-response+json;q=0"}, ""},
		{[]string{"application/json;q=bogus"}, mediaJSON},
		{[]string{"text/html"}, ""},
		{[]string{"text/*, image/png"}, ""},
	}
	for _, c := range cases {
		got, ok := negotiate(c.accept)
		if !ok {
			got = ""
		}
		if got != c.want {
			t.Errorf("Accept %q: %q, want %q", c.accept, got, c.want)
		}
	}
}
