package gqlhttp_test

import (
	"net/http/httptest"
	"testing"

	"exithub/server/gqlhttp"
	"exithub/server/gqlhttp/gqlhttptest"
)

// graphql-http's audits pass with no error, warning or notice, through an
// Authorization check like the hub's.
func TestGraphQLOverHTTPAudits(t *testing.T) {
	ts := newTestServer(t, gqlhttp.Options{})
	const auth = "Bearer audit-token"
	authed := httptest.NewServer(withAuth(auth, ts.Config.Handler))
	t.Cleanup(authed.Close)
	gqlhttptest.RunAudits(t, authed.URL, auth)
}
