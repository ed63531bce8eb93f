package model

import "exithub"

// Referral is the schema's Referral: the domain's referral, and beside it
// the fields that would otherwise each be a resolver, which gqlgen runs in
// a goroutine of its own per referral. The resolver that read the referral
// fills them, from memory where it can: the global id, the organisations
// from the in-memory directory, the history and notes the read brought.
// A field the operation does not ask for is left empty.
type Referral struct {
	*exithub.Referral
	// ID is the global (Relay) id; the row's id is Referral.ID.
	ID      string
	From    *exithub.Organisation
	To      *exithub.Organisation
	History []*exithub.ReferralEvent
	Notes   []*exithub.ReferralEvent
}
