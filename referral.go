package exithub

import (
	"context"
	"slices"
	"strings"
	"time"
)

// ReferralStatus is where a referral is in its life, modelled on the FHIR
// ServiceRequest + Task workflow.
type ReferralStatus string

// The states of a referral.
const (
	StatusRequested  ReferralStatus = "REQUESTED"
	StatusReceived   ReferralStatus = "RECEIVED"
	StatusAccepted   ReferralStatus = "ACCEPTED"
	StatusRejected   ReferralStatus = "REJECTED"
	StatusInProgress ReferralStatus = "IN_PROGRESS"
	StatusCompleted  ReferralStatus = "COMPLETED"
	StatusFailed     ReferralStatus = "FAILED"
	StatusCancelled  ReferralStatus = "CANCELLED"
)

// ReferralStatuses lists every state.
var ReferralStatuses = []ReferralStatus{StatusRequested, StatusReceived, StatusAccepted, StatusRejected,
	StatusInProgress, StatusCompleted, StatusFailed, StatusCancelled}

// Open reports whether a referral in this state may still change: the
// states a cancel may start from.
func (s ReferralStatus) Open() bool { return slices.Contains(transitions[ActCancel].from, s) }

// OpenStatuses are the states a referral may still change in, for the
// statements that pick such referrals.
func OpenStatuses() []string {
	var out []string
	for _, s := range ReferralStatuses {
		if s.Open() {
			out = append(out, string(s))
		}
	}
	return out
}

// ReasonConsentWithdrawn is the reason the hub gives when it cancels a
// referral because the citizen withdrew the consent it was made under (and
// erases what it shared); the schema names it, so clients may rely on it.
const ReasonConsentWithdrawn = "consent withdrawn"

// transitions is the state machine: the states an action may start from and
// the state it leads to. Who may take an action is the policy's business.
var transitions = map[Action]struct {
	from []ReferralStatus
	to   ReferralStatus
}{
	ActReceive:  {[]ReferralStatus{StatusRequested}, StatusReceived},
	ActAccept:   {[]ReferralStatus{StatusReceived}, StatusAccepted},
	ActReject:   {[]ReferralStatus{StatusReceived}, StatusRejected},
	ActStart:    {[]ReferralStatus{StatusAccepted}, StatusInProgress},
	ActComplete: {[]ReferralStatus{StatusInProgress}, StatusCompleted},
	ActFail:     {[]ReferralStatus{StatusInProgress}, StatusFailed},
	ActCancel:   {[]ReferralStatus{StatusRequested, StatusReceived, StatusAccepted, StatusInProgress}, StatusCancelled},
}

// TransitionActions lists the actions that move a referral between states.
var TransitionActions = []Action{ActReceive, ActAccept, ActReject, ActStart, ActComplete, ActFail, ActCancel}

// Next returns the state action a leads to from s, or a CONFLICT error when
// the transition is illegal.
func (s ReferralStatus) Next(a Action) (ReferralStatus, error) {
	t, ok := transitions[a]
	if !ok {
		return "", Errorf(EINVALID, "%s is not a referral transition", a)
	}
	if !slices.Contains(t.from, s) {
		return "", Errorf(ECONFLICT, "a referral that is %s cannot be %s", s, pastTense(a))
	}
	return t.to, nil
}

// Next is the state action a leads to from r's: a referral to an offer
// outside the hub is only recorded, so cancelling is all it takes.
func (r *Referral) Next(a Action) (ReferralStatus, error) {
	if r.ToID == nil && a != ActCancel {
		return "", Errorf(ECONFLICT, "a referral to an offer outside the hub is only recorded")
	}
	return r.Status.Next(a)
}

// ValidateNote bounds a note on a referral.
func ValidateNote(text string) error {
	if l := len([]rune(text)); l == 0 || l > 10000 {
		return Invalid("text", "a note has 1 to 10000 characters")
	}
	return nil
}

func pastTense(a Action) string {
	switch a {
	case ActReceive:
		return "received"
	case ActAccept:
		return "accepted"
	case ActReject:
		return "rejected"
	case ActStart:
		return "started"
	case ActComplete:
		return "completed"
	case ActFail:
		return "failed"
	default:
		return "cancelled"
	}
}

// Need is an area a referral asks help with.
type Need string

// The need areas, shared by referrals and activity plans.
const (
	NeedDrugTreatment Need = "DRUG_TREATMENT"
	NeedHousing       Need = "HOUSING"
	NeedEducation     Need = "EDUCATION"
	NeedFinances      Need = "FINANCES"
	NeedNetwork       Need = "NETWORK"
	NeedHealth        Need = "HEALTH"
	NeedLegal         Need = "LEGAL"
	NeedCounselling   Need = "COUNSELLING"
	NeedOther         Need = "OTHER"
)

// Needs lists the need areas.
var Needs = []Need{NeedDrugTreatment, NeedHousing, NeedEducation, NeedFinances, NeedNetwork, NeedHealth, NeedLegal, NeedCounselling, NeedOther}

// SharedDetail is one stated piece of information about a citizen that a
// consent allows the municipality to share with an NGO.
type SharedDetail struct {
	Kind  DetailKind `json:"kind"`
	Value string     `json:"value"`
}

// DetailKind names a kind of information a consent covers.
type DetailKind string

// The kinds of detail a consent can cover.
const (
	DetailAlias     DetailKind = "ALIAS"
	DetailAge       DetailKind = "AGE"
	DetailGender    DetailKind = "GENDER"
	DetailLanguage  DetailKind = "LANGUAGE"
	DetailContact   DetailKind = "CONTACT"
	DetailHousing   DetailKind = "HOUSING"
	DetailHealth    DetailKind = "HEALTH"
	DetailDrugUse   DetailKind = "DRUG_USE"
	DetailSituation DetailKind = "SITUATION"
)

// DetailKinds lists what a consent can cover.
var DetailKinds = []DetailKind{DetailAlias, DetailAge, DetailGender, DetailLanguage, DetailContact, DetailHousing, DetailHealth, DetailDrugUse, DetailSituation}

// Referral is a municipality's request to an NGO (or an offer outside the
// hub) to help a citizen, and the NGO's answers to it.
type Referral struct {
	ID             string
	CitizenID      string
	CitizenRef     string // the citizen's keyed reference, as audit records name it
	MunicipalityID string // serving municipality now
	FromID         string // the municipality that sent it
	ToID           *string
	ExternalOffer  *string
	ConsentID      *string
	Needs          []Need
	Message        string
	SharedDetails  []SharedDetail
	Contact        string
	Status         ReferralStatus
	Outcome        *string
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Events are its history and notes, oldest first, when the list that
	// read it was asked for them (ReferralParts); nil when it was not.
	Events []*ReferralEvent
}

// ReferralParts says what a list of referrals reads beside the referrals,
// so that a page and the relations asked for come in one transaction.
type ReferralParts struct {
	Events bool // each referral's history and notes, into Referral.Events
	// Brief leaves the request's text unread, for a list that shows none
	// of it: ExternalOffer, ConsentID, Needs, Message, SharedDetails,
	// Contact and Outcome stay zero. The rest, and the audit record, are
	// as without it.
	Brief bool
	// BriefEvents, with Events, reads of each event only its kind, the
	// state it led to and its actor: ID, From, Text, ActorOrgID and At
	// stay zero.
	BriefEvents bool
}

// ReferralEvent is one entry of a referral's history: a transition, or a
// progress note.
type ReferralEvent struct {
	ID         string
	ReferralID string
	Kind       string // TRANSITION or NOTE
	From       *ReferralStatus
	To         *ReferralStatus
	Text       *string
	ActorSub   string
	ActorOrgID string
	At         time.Time
}

// CreateReferral is what a caseworker gives to refer a citizen.
type CreateReferral struct {
	CitizenID      string
	ToCode         string // an NGO in the hub, or
	ExternalOffer  string // an offer outside it
	Needs          []Need
	Message        string
	SharedDetails  []SharedDetail
	Contact        string
	IdempotencyKey string
	// At backdates the referral; only the seeding of demo data uses it.
	At *time.Time
}

// Validate checks a referral request on its own; whether the consent covers
// the shared details is checked against the stored consent.
func (in CreateReferral) Validate() error {
	if (in.ToCode == "") == (in.ExternalOffer == "") {
		return Invalid("to", "a referral goes either to an NGO in the hub (to) or to an external offer (externalOffer)")
	}
	if len([]rune(in.ExternalOffer)) > 500 {
		return Invalid("externalOffer", "at most 500 characters")
	}
	if len(in.Needs) == 0 {
		return Invalid("needs", "a referral names at least one need")
	}
	for _, n := range in.Needs {
		if !slices.Contains(Needs, n) {
			return Invalid("needs", "unknown need")
		}
	}
	if len([]rune(in.Message)) > 10000 {
		return Invalid("message", "at most 10000 characters")
	}
	if len([]rune(in.Contact)) > 500 {
		return Invalid("contact", "at most 500 characters")
	}
	if in.ExternalOffer != "" && len(in.SharedDetails) > 0 {
		return Invalid("sharedDetails", "nothing is shared with an offer outside the hub")
	}
	for _, d := range in.SharedDetails {
		if !slices.Contains(DetailKinds, d.Kind) {
			return Invalid("sharedDetails", "unknown detail kind")
		}
		if len([]rune(d.Value)) > 2000 {
			return Invalid("sharedDetails", "a detail has at most 2000 characters")
		}
	}
	return validateIdempotencyKey(in.IdempotencyKey)
}

// Transition asks to move a referral: the action, optionally the version the
// caller last saw (a stale one is CONFLICT), and the reason or outcome.
type Transition struct {
	ReferralID      string
	Action          Action
	ExpectedVersion *int
	Reason          string
	Outcome         string
}

// Validate checks that the transition carries what its action requires.
func (t Transition) Validate() error {
	needsReason := t.Action == ActReject || t.Action == ActFail || t.Action == ActCancel
	if needsReason && t.Reason == "" {
		return Invalid("reason", "%s needs a reason", t.Action)
	}
	if t.Action == ActComplete && t.Outcome == "" {
		return Invalid("outcome", "complete needs an outcome")
	}
	if len([]rune(t.Reason)) > 2000 {
		return Invalid("reason", "at most 2000 characters")
	}
	if len([]rune(t.Outcome)) > 2000 {
		return Invalid("outcome", "at most 2000 characters")
	}
	return nil
}

// ReferralFilter narrows a list of referrals.
type ReferralFilter struct {
	Status *ReferralStatus
	Since  *time.Time
}

// ReferralService stores referrals; implementations enforce the policy.
type ReferralService interface {
	CreateReferral(ctx context.Context, in CreateReferral) (*Referral, error)
	TransitionReferral(ctx context.Context, t Transition) (*Referral, error)
	AddReferralNote(ctx context.Context, referralID, text string) (*ReferralEvent, error)
	FindReferral(ctx context.Context, id string) (*Referral, error)
	FindReferrals(ctx context.Context, f ReferralFilter, page Page, parts ReferralParts) ([]*Referral, PageInfo, error)
	ReferralEvents(ctx context.Context, referralIDs []string) (map[string][]*ReferralEvent, error)
}

// Consent is a citizen's consent to share stated information with a named
// NGO for a purpose, between two dates, until withdrawn.
type Consent struct {
	ID          string
	CitizenID   string
	CitizenRef  string // the citizen's keyed reference, as audit records name it
	NGOID       string
	Purpose     string
	Details     []DetailKind
	GivenOn     Date
	ExpiresOn   Date
	WithdrawnAt *time.Time
	CreatedAt   time.Time
}

// ValidOn reports whether the consent may be relied on on day d.
func (c *Consent) ValidOn(d Date) bool {
	return c.WithdrawnAt == nil && !d.Before(c.GivenOn) && !c.ExpiresOn.Before(d)
}

// ConsentFor picks, from a citizen's consents with one NGO (newest first),
// one that may be relied on on day d for sharing ds. When none can, the
// error says why, of the newest that comes closest: there is none, it was
// withdrawn, it is not yet or no longer in force, or it does not cover
// some detail (named). It names nothing the caller did not record itself.
func ConsentFor(consents []*Consent, d Date, ds []SharedDetail) (*Consent, error) {
	var current *Consent
	for _, c := range consents {
		if c.ValidOn(d) && c.Covers(ds) {
			return c, nil
		}
		if current == nil && c.ValidOn(d) {
			current = c
		}
	}
	switch {
	case current != nil:
		return nil, Invalid("sharedDetails", "the citizen's consent to share with this NGO does not cover %s", current.Uncovered(ds))
	case len(consents) == 0:
		return nil, Invalid("to", "the citizen has given no consent to share with this NGO")
	}
	c := consents[0]
	switch {
	case c.WithdrawnAt != nil:
		return nil, Invalid("to", "the citizen withdrew the consent to share with this NGO")
	case d.Before(c.GivenOn):
		return nil, Invalid("to", "the citizen's consent to share with this NGO holds only from %s", c.GivenOn)
	default:
		return nil, Invalid("to", "the citizen's consent to share with this NGO expired on %s", c.ExpiresOn)
	}
}

// Uncovered lists the kinds among ds that the consent does not cover.
func (c *Consent) Uncovered(ds []SharedDetail) string {
	var out []string
	for _, d := range ds {
		if !slices.Contains(c.Details, d.Kind) && !slices.Contains(out, string(d.Kind)) {
			out = append(out, string(d.Kind))
		}
	}
	return strings.Join(out, ", ")
}

// Covers reports whether the consent covers every shared detail.
func (c *Consent) Covers(ds []SharedDetail) bool {
	for _, d := range ds {
		if !slices.Contains(c.Details, d.Kind) {
			return false
		}
	}
	return true
}

// GiveConsent is what a caseworker records when a citizen consents.
type GiveConsent struct {
	CitizenID      string
	NGOCode        string
	Purpose        string
	Details        []DetailKind
	GivenOn        Date
	ExpiresOn      Date
	IdempotencyKey string
}

// Validate checks a consent on its own.
func (in GiveConsent) Validate() error {
	if l := len([]rune(in.Purpose)); l == 0 || l > 2000 {
		return Invalid("purpose", "a purpose has 1 to 2000 characters")
	}
	if len(in.Details) == 0 {
		return Invalid("details", "a consent covers at least one kind of detail")
	}
	for _, d := range in.Details {
		if !slices.Contains(DetailKinds, d) {
			return Invalid("details", "unknown detail kind")
		}
	}
	if in.ExpiresOn.Before(in.GivenOn) {
		return Invalid("expiresOn", "a consent cannot expire before it is given")
	}
	return validateIdempotencyKey(in.IdempotencyKey)
}

// ConsentService stores consents; implementations enforce the policy.
type ConsentService interface {
	GiveConsent(ctx context.Context, in GiveConsent) (*Consent, error)
	WithdrawConsent(ctx context.Context, id string) (*Consent, error)
	FindConsents(ctx context.Context, citizenIDs []string) (map[string][]*Consent, error)
}

// ReferralChange announces that a referral changed; it carries ids only, so
// each subscriber reads the referral itself, as itself, through the policy.
type ReferralChange struct {
	ReferralID     string `json:"id"`
	NGOID          string `json:"ngo,omitempty"`
	MunicipalityID string `json:"municipality"`
	Kind           string `json:"kind"` // CREATED, STATUS_CHANGED, CANCELLED, CONSENT_WITHDRAWN, NOTE_ADDED
	Status         string `json:"status"`
}

// ConcernsOrg reports whether the change concerns organisation org: the NGO
// it is addressed to, or the municipality that serves the citizen.
func (c ReferralChange) ConcernsOrg(org string) bool {
	return org != "" && (c.NGOID == org || c.MunicipalityID == org)
}
