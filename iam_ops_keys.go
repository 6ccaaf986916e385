package fakests

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
)

// This file serves IAM's access-key operations on the wire (behaviour §18):
// at most two keys per user, Active or Inactive, enforced by
// authentication (an Inactive or deleted key gets InvalidClientTokenId).

// keyStatus is the Status IAM gives a key.
func keyStatus(k *longTermKey) types.StatusType {
	if k.inactive {
		return types.StatusTypeInactive
	}
	return types.StatusTypeActive
}

func (e *Engine) iamCreateAccessKey(ctx context.Context, c *apiCall, in *iam.CreateAccessKeyInput) (*iam.CreateAccessKeyOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	k, err := e.createAccessKey(u)
	if err != nil {
		return nil, err
	}
	return &iam.CreateAccessKeyOutput{AccessKey: &types.AccessKey{AccessKeyId: aws.String(k.id),
		SecretAccessKey: aws.String(k.secret), Status: types.StatusTypeActive, UserName: aws.String(u.name),
		CreateDate: sdkTime(k.created)}}, nil
}

func (e *Engine) iamListAccessKeys(ctx context.Context, c *apiCall, in *iam.ListAccessKeysInput) (*iam.ListAccessKeysOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	keys := slices.Clone(u.keys)
	sortBy(keys, func(k *longTermKey) string { return k.id })
	page, next, err := paginate(keys, func(k *longTermKey) string { return k.id }, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListAccessKeysOutput{AccessKeyMetadata: make([]types.AccessKeyMetadata, 0, len(page)),
		Marker: next, IsTruncated: next != nil}
	for _, k := range page {
		out.AccessKeyMetadata = append(out.AccessKeyMetadata, types.AccessKeyMetadata{AccessKeyId: aws.String(k.id),
			CreateDate: sdkTime(k.created), Status: keyStatus(k), UserName: aws.String(u.name)})
	}
	return out, nil
}

func (e *Engine) iamUpdateAccessKey(ctx context.Context, c *apiCall, in *iam.UpdateAccessKeyInput) (*iam.UpdateAccessKeyOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	var active bool
	switch in.Status {
	case types.StatusTypeActive:
		active = true
	case types.StatusTypeInactive:
	default: // Expired is in the model's enum, for other credentials
		return nil, errorf(apierror.CodeInvalidInput, msgBadKeyStatus, string(in.Status))
	}
	if err := e.setKeyActive(u, *in.AccessKeyId, active); err != nil {
		return nil, err
	}
	return &iam.UpdateAccessKeyOutput{}, nil
}

func (e *Engine) iamDeleteAccessKey(ctx context.Context, c *apiCall, in *iam.DeleteAccessKeyInput) (*iam.DeleteAccessKeyOutput, error) {
	u, res, err := e.userTarget(c, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := e.authorizeIAM(ctx, c, res, userTagContext(e, u)); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, noSuchUser(*in.UserName)
	}
	if err := e.deleteAccessKey(u, *in.AccessKeyId); err != nil {
		return nil, err
	}
	return &iam.DeleteAccessKeyOutput{}, nil
}
