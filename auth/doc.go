// Package auth is the identity layer of the Exit Hub: it keeps the signing
// keys (a directory of Ed25519 key pairs that can be rotated without
// downtime), mints bearer tokens, and verifies the tokens that come with
// every request, whether minted here or by an identity provider that
// publishes a JWKS.
//
// Everything a client can get wrong is refused with an UNAUTHENTICATED
// [exithub.Error] whose message says what was wrong in terms safe to show,
// never why in terms of keys, files or libraries.
package auth
