// Package gqlhttp serves GraphQL over HTTP as the GraphQL-over-HTTP
// specification (https://graphql.github.io/graphql-over-http/draft/) asks,
// as gqlgen transports:
//
//   - POST takes only application/json, so that no "simple" cross-site
//     request (a form or text/plain) can reach the executor: others get 415.
//   - GET takes query, variables, operationName and extensions from the URL,
//     and runs queries only: anything else gets 405 with Allow: POST.
//   - The response is application/graphql-response+json when the client
//     accepts it, else application/json; an Accept header naming neither gets
//     406.
//   - A request that fails before execution (parse, validation, variable
//     coercion, an extension's refusal) has no "data" entry, and gets 400 with
//     the new media type but 200 with application/json, the legacy behaviour
//     the specification keeps for older clients. A request that is not
//     well-formed (bad JSON, a parameter of the wrong type, no query, a batch)
//     gets 400 whatever the media type.
//
// It goes through gqlgen's executor the way gqlgen's own transports do, so
// extensions (complexity limits, persisted queries) and the error presenter
// still apply.
package gqlhttp
