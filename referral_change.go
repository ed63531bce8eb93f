package exithub

// ChangeKindOf names the change a referral's history entry records, as
// referralEvents names it live: a note is NOTE_ADDED, the first transition
// (from no state) CREATED, one to CANCELLED is CANCELLED (a withdrawn
// consent's included: the history records the cancellation, not its
// cause), and any other STATUS_CHANGED.
func ChangeKindOf(e *ReferralEvent) string {
	switch {
	case e.Kind == "NOTE":
		return "NOTE_ADDED"
	case e.From == nil:
		return "CREATED"
	case e.To != nil && *e.To == StatusCancelled:
		return "CANCELLED"
	}
	return "STATUS_CHANGED"
}
