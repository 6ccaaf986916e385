package fakests

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/policy"
)

// This file serves IAM's managed-policy operations on the wire (behaviour
// §18): CreatePolicy, GetPolicy, the versions (at most five, one the
// default), DeletePolicy and ListPolicies. Each is authorized on the
// policy's ARN; ListPolicies, which has no resource type, on "*".

func (e *Engine) iamCreatePolicy(ctx context.Context, c *apiCall, in *iam.CreatePolicyInput) (*iam.CreatePolicyOutput, error) {
	acct, name, path := c.principal.Account, *in.PolicyName, pathOr(in.Path)
	reqTags, err := requestPolicyTags(in.Tags)
	if err != nil {
		return nil, err
	}
	policyARN := arn.IAM(acct, "policy"+path+name)
	if err := e.authorizeIAM(ctx, c, arnResource(policyARN), tagContext(nil, reqTags, nil)); err != nil {
		return nil, err
	}
	doc := *in.PolicyDocument
	p, err := iamDocument(doc, policy.Identity, "managed policy "+name, true)
	if err != nil {
		return nil, err
	}
	if policySize(doc) > maxManagedPolicySize {
		return nil, errorf(apierror.CodeLimitExceeded, msgQuota, msgPolicySizeQuota, maxManagedPolicySize)
	}
	mp, err := e.newManagedPolicy(acct, path, name, doc, p, in.Description, reqTags)
	if err != nil {
		return nil, err
	}
	var out types.Policy
	err = e.changeIAM(func(c *iamChange) error {
		if err := c.addPolicy(c.accountOf(acct), mp); err != nil {
			return err
		}
		out = e.sdkPolicy(mp, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreatePolicyOutput{Policy: &out}, nil
}

// policyOp resolves and authorizes the policy an IAM call names: a
// malformed ARN is ValidationError, a missing policy notFound (after
// authorization, as IAM does not tell who may not look).
func (e *Engine) policyOp(ctx context.Context, c *apiCall, policyARN string, notFound error) (*managedPolicy, error) {
	if err := checkPolicyARN(policyARN); err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, arnResource(policyARN), nil); err != nil {
		return nil, err
	}
	mp := e.policyTarget(policyARN)
	if mp == nil {
		return nil, notFound
	}
	return mp, nil
}

func (e *Engine) iamGetPolicy(ctx context.Context, c *apiCall, in *iam.GetPolicyInput) (*iam.GetPolicyOutput, error) {
	mp, err := e.policyOp(ctx, c, *in.PolicyArn, errorf(apierror.CodeNoSuchEntity, msgPolicyNotFound, *in.PolicyArn))
	if err != nil {
		return nil, err
	}
	e.mu.RLock()
	out := e.sdkPolicy(mp, true)
	e.mu.RUnlock()
	if out.Tags == nil {
		out.Tags = []types.Tag{} // recorded: GetPolicy sends an empty Tags element
	}
	return &iam.GetPolicyOutput{Policy: &out}, nil
}

func (e *Engine) iamGetPolicyVersion(ctx context.Context, c *apiCall, in *iam.GetPolicyVersionInput) (*iam.GetPolicyVersionOutput, error) {
	notFound := errorf(apierror.CodeNoSuchEntity, msgNoSuchPolicyVersion, *in.PolicyArn, *in.VersionId)
	mp, err := e.policyOp(ctx, c, *in.PolicyArn, notFound)
	if err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	v := mp.version(*in.VersionId)
	if v == nil {
		return nil, notFound
	}
	return &iam.GetPolicyVersionOutput{PolicyVersion: &types.PolicyVersion{CreateDate: sdkTime(v.created),
		Document: aws.String(encodeDocument(v.doc)), IsDefaultVersion: v == mp.def, VersionId: aws.String(v.id)}}, nil
}

func (e *Engine) iamCreatePolicyVersion(ctx context.Context, c *apiCall, in *iam.CreatePolicyVersionInput) (*iam.CreatePolicyVersionOutput, error) {
	mp, err := e.policyOp(ctx, c, *in.PolicyArn, errorf(apierror.CodeNoSuchEntity, msgPolicyNotFound, *in.PolicyArn))
	if err != nil {
		return nil, err
	}
	if mp.awsManaged() {
		return nil, newError(apierror.CodeAccessDenied, msgAWSPolicyUpdate)
	}
	p, err := iamDocument(*in.PolicyDocument, policy.Identity, "managed policy "+mp.name, true)
	if err != nil {
		return nil, err
	}
	v, err := e.createPolicyVersion(mp, *in.PolicyDocument, p, in.SetAsDefault)
	if err != nil {
		return nil, err
	}
	return &iam.CreatePolicyVersionOutput{PolicyVersion: &types.PolicyVersion{CreateDate: sdkTime(v.created),
		IsDefaultVersion: in.SetAsDefault, VersionId: aws.String(v.id)}}, nil
}

func (e *Engine) iamListPolicyVersions(ctx context.Context, c *apiCall, in *iam.ListPolicyVersionsInput) (*iam.ListPolicyVersionsOutput, error) {
	mp, err := e.policyOp(ctx, c, *in.PolicyArn, errorf(apierror.CodeNoSuchEntity, msgPolicyNotFound, *in.PolicyArn))
	if err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	// Newest first (recorded: v12 down to v1).
	key := func(v *policyVersion) string {
		n, _ := strconv.Atoi(v.id[1:])
		return fmt.Sprintf("%010d", 1<<30-n)
	}
	versions := append([]*policyVersion(nil), mp.versions...)
	sortBy(versions, key)
	page, next, err := paginate(versions, key, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListPolicyVersionsOutput{Versions: make([]types.PolicyVersion, 0, len(page)), Marker: next, IsTruncated: next != nil}
	for _, v := range page {
		out.Versions = append(out.Versions, types.PolicyVersion{CreateDate: sdkTime(v.created),
			IsDefaultVersion: v == mp.def, VersionId: aws.String(v.id)})
	}
	return out, nil
}

func (e *Engine) iamSetDefaultPolicyVersion(ctx context.Context, c *apiCall, in *iam.SetDefaultPolicyVersionInput) (*iam.SetDefaultPolicyVersionOutput, error) {
	// A missing policy is named with the version asked for (recorded).
	mp, err := e.policyOp(ctx, c, *in.PolicyArn, errorf(apierror.CodeNoSuchEntity, msgNoSuchPolicyVersion, *in.PolicyArn, *in.VersionId))
	if err != nil {
		return nil, err
	}
	if err := e.SetDefaultPolicyVersion(mp.arn, *in.VersionId); err != nil {
		return nil, err
	}
	return &iam.SetDefaultPolicyVersionOutput{}, nil
}

func (e *Engine) iamDeletePolicyVersion(ctx context.Context, c *apiCall, in *iam.DeletePolicyVersionInput) (*iam.DeletePolicyVersionOutput, error) {
	// A missing policy is named with the version, as GetPolicyVersion and
	// SetDefaultPolicyVersion name it (choice: unrecorded for this one).
	mp, err := e.policyOp(ctx, c, *in.PolicyArn, errorf(apierror.CodeNoSuchEntity, msgNoSuchPolicyVersion, *in.PolicyArn, *in.VersionId))
	if err != nil {
		return nil, err
	}
	if err := e.DeletePolicyVersion(mp.arn, *in.VersionId); err != nil {
		return nil, err
	}
	return &iam.DeletePolicyVersionOutput{}, nil
}

func (e *Engine) iamDeletePolicy(ctx context.Context, c *apiCall, in *iam.DeletePolicyInput) (*iam.DeletePolicyOutput, error) {
	mp, err := e.policyOp(ctx, c, *in.PolicyArn, errorf(apierror.CodeNoSuchEntity, msgPolicyNotFound, *in.PolicyArn))
	if err != nil {
		return nil, err
	}
	if err := e.DeleteManagedPolicy(mp.arn); err != nil {
		return nil, err
	}
	return &iam.DeletePolicyOutput{}, nil
}

func (e *Engine) iamListPolicies(ctx context.Context, c *apiCall, in *iam.ListPoliciesInput) (*iam.ListPoliciesOutput, error) {
	prefix := pathOr(in.PathPrefix)
	res := iamResource{arn: "*", shown: "policy path " + prefix} // aws/aws-sam-cli #394
	if err := e.authorizeIAM(ctx, c, res, nil); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	var accounts []string
	switch in.Scope {
	case types.PolicyScopeTypeAws:
		accounts = []string{awsManagedAccount}
	case types.PolicyScopeTypeLocal:
		accounts = []string{c.principal.Account}
	default:
		accounts = []string{awsManagedAccount, c.principal.Account}
	}
	var all []*managedPolicy
	for _, acct := range accounts {
		a := e.accounts[acct]
		if a == nil {
			continue
		}
		for _, mp := range a.policies {
			if !hasPathPrefix(mp.path, prefix) {
				continue
			}
			// Permissions boundaries are not modelled: no policy is used as one.
			if in.OnlyAttached && (e.attachmentsLocked(mp) == 0 || in.PolicyUsageFilter == types.PolicyUsageTypePermissionsBoundary) {
				continue
			}
			all = append(all, mp)
		}
	}
	key := func(mp *managedPolicy) string { return sortKey(mp.name) + "\x00" + mp.arn }
	sortBy(all, key)
	page, next, err := paginate(all, key, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListPoliciesOutput{Policies: make([]types.Policy, 0, len(page)), Marker: next, IsTruncated: next != nil}
	for _, mp := range page {
		out.Policies = append(out.Policies, e.sdkPolicy(mp, false))
	}
	return out, nil
}
