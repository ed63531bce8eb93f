package graph

import (
	"context"

	"exithub"
	"exithub/graph/relay"
)

// node reads an object by global id through the same service, and so the
// same policy, as its own query: the type in the id only picks the service.
func (r *Resolver) node(ctx context.Context, gid string) (relay.Node, error) {
	typ, id, ok := relay.Parse(gid)
	if !ok {
		return nil, nil
	}
	var n relay.Node
	var err error
	switch typ {
	case typeOrganisation:
		n, err = r.DB.OrganisationByID(ctx, id)
	case typeCitizen:
		n, err = r.DB.FindCitizen(ctx, id)
	case typeReferral:
		n, err = r.DB.FindReferral(ctx, id)
	case typeCourse:
		n, err = r.DB.FindCourse(ctx, id, nil)
	case typeConsent:
		n, err = r.DB.FindConsent(ctx, id)
	case typeCooperation:
		n, err = r.DB.FindCooperationAgreement(ctx, id)
	case typeCrossMunicipal:
		n, err = r.DB.FindCrossMunicipalAgreement(ctx, id)
	case typeGrant:
		n, err = r.DB.FindGrant(ctx, id)
	default:
		return nil, nil
	}
	if exithub.ErrorCode(err) == exithub.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return n, nil
}
