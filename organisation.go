package exithub

import (
	"regexp"
	"slices"
)

// OrganisationKind says what kind of party an organisation is.
type OrganisationKind string

// The kinds of organisation taking part in the programme.
const (
	KindMunicipality OrganisationKind = "MUNICIPALITY"
	KindNGO          OrganisationKind = "NGO"
	KindMinistry     OrganisationKind = "MINISTRY"
	KindAgency       OrganisationKind = "AGENCY"
	KindEvaluator    OrganisationKind = "EVALUATOR"
	KindOperator     OrganisationKind = "OPERATOR"
)

// OrganisationKinds lists every kind, in a fixed order.
var OrganisationKinds = []OrganisationKind{KindMunicipality, KindNGO, KindMinistry, KindAgency, KindEvaluator, KindOperator}

// Valid reports whether k is a known kind.
func (k OrganisationKind) Valid() bool { return slices.Contains(OrganisationKinds, k) }

// Organisation is a party in the hub's directory. The directory is not
// personal data: every authenticated principal may read it.
type Organisation struct {
	ID         string
	Code       string
	Name       string
	Kind       OrganisationKind
	Population *int // municipalities only: the latest stored figure
}

var (
	municipalityCode = regexp.MustCompile(`^[0-9]{3}$`)
	slugCode         = regexp.MustCompile(`^[a-z][a-z0-9-]{1,62}$`)
)

// ValidateOrganisation checks an organisation before it is created: a
// municipality's code is its 3-digit kommunekode, anything else's a lowercase slug.
func ValidateOrganisation(o Organisation) error {
	if !o.Kind.Valid() {
		return Invalid("kind", "unknown organisation kind")
	}
	if o.Kind == KindMunicipality && !municipalityCode.MatchString(o.Code) {
		return Invalid("code", "a municipality's code is its 3-digit kommunekode")
	}
	if o.Kind != KindMunicipality && !slugCode.MatchString(o.Code) {
		return Invalid("code", "an organisation's code is a lowercase slug (a-z, 0-9, -)")
	}
	if l := len([]rune(o.Name)); l == 0 || l > 200 {
		return Invalid("name", "a name has 1 to 200 characters")
	}
	if o.Population != nil && *o.Population < 0 {
		return Invalid("population", "population cannot be negative")
	}
	if o.Population != nil && o.Kind != KindMunicipality {
		return Invalid("population", "only municipalities have a population")
	}
	return nil
}
