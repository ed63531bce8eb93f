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
		n, err = r.Services.Directory.OrganisationByID(ctx, id)
	case typeCitizen:
		n, err = r.Services.Citizens.FindCitizen(ctx, id)
	case typeReferral:
		var ref *exithub.Referral
		if ref, err = r.Services.Referrals.FindReferral(ctx, id); err == nil {
			n, err = r.referral(ctx, ref)
		}
	case typeCourse:
		n, err = r.Services.Courses.FindCourse(ctx, id, nil)
	case typeConsent:
		n, err = r.Services.Nodes.FindConsent(ctx, id)
	case typeCooperation:
		n, err = r.Services.Nodes.FindCooperationAgreement(ctx, id)
	case typeCrossMunicipal:
		n, err = r.Services.Nodes.FindCrossMunicipalAgreement(ctx, id)
	case typeGrant:
		n, err = r.Services.Nodes.FindGrant(ctx, id)
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
