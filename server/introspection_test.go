package server

import "testing"

// introspectionQuery is graphql-js's getIntrospectionQuery() as GraphiQL
// sends it (descriptions, directive repeatability, deprecated arguments).
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}`

// GraphiQL's introspection, where introspection is allowed, passes the
// bounds checked before validation.
func TestIntrospectionPassesTheBounds(t *testing.T) {
	cfg := DefaultConfig()
	b := Bounds{MaxBytes: cfg.MaxDocumentBytes, MaxTokens: cfg.MaxTokens, MaxFields: cfg.MaxFields}
	if _, err := b.Check(introspectionQuery); err != nil {
		t.Fatal(err)
	}
}
