package fakests

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
)

// This file serves IAM's user operations on the wire: CreateUser, GetUser,
// ListUsers, DeleteUser and the user's tags (behaviour §18). Each is
// authorized as iam:<Action> on the user's ARN.

func (e *Engine) iamCreateUser(ctx context.Context, c *apiCall, in *iam.CreateUserInput) (*iam.CreateUserOutput, error) {
	acct, name, path := c.principal.Account, *in.UserName, pathOr(in.Path)
	reqTags, err := e.authorizeCreate(ctx, c, "user", path, name, in.Tags, in.PermissionsBoundary)
	if err != nil {
		return nil, err
	}
	u, err := e.newUser(acct, path, name, reqTags)
	if err != nil {
		return nil, err
	}
	var out types.User
	err = e.changeIAM(func(c *iamChange) error {
		a := c.accountOf(acct)
		if a.users[strings.ToLower(name)] != nil {
			return errorf(apierror.CodeEntityAlreadyExists, msgUserExists, name)
		}
		c.user(u)
		setIn(c, a.users, strings.ToLower(name), u)
		out = sdkUser(u, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateUserOutput{User: &out}, nil
}

func (e *Engine) iamGetUser(ctx context.Context, c *apiCall, in *iam.GetUserInput) (*iam.GetUserOutput, error) {
	p := c.principal
	if in.UserName == nil && (p.Type == Root || (p.sess != nil && p.sess.root)) {
		// The root user asking about itself (choice: the account's
		// creation on the engine clock as CreateDate).
		if err := e.authorizeIAM(ctx, c, arnResource(accountRoot(p.Account)), nil); err != nil {
			return nil, err
		}
		e.mu.RLock()
		created := e.accountCreated(p.Account)
		e.mu.RUnlock()
		return &iam.GetUserOutput{User: &types.User{Arn: aws.String(accountRoot(p.Account)),
			UserId: aws.String(p.Account), CreateDate: sdkTime(created)}}, nil
	}
	u, err := e.authorizedUser(ctx, c, in.UserName, iamConditions{})
	if err != nil {
		return nil, err
	}
	e.mu.RLock()
	out := sdkUser(u, true)
	e.mu.RUnlock()
	return &iam.GetUserOutput{User: &out}, nil
}

// accountCreated is when acct came to exist in the engine. e.mu must be
// held.
func (e *Engine) accountCreated(acct string) (t time.Time) {
	if a := e.accounts[acct]; a != nil {
		return a.created
	}
	return e.now()
}

func (e *Engine) iamListUsers(ctx context.Context, c *apiCall, in *iam.ListUsersInput) (*iam.ListUsersOutput, error) {
	acct, prefix := c.principal.Account, pathOr(in.PathPrefix)
	res := arnResource(arn.IAM(acct, "user"+prefix))
	if err := e.authorizeIAM(ctx, c, res, nil); err != nil {
		return nil, err
	}
	e.mu.RLock()
	var all []*user
	if a := e.accounts[acct]; a != nil {
		for _, u := range a.users {
			if strings.HasPrefix(u.path, prefix) {
				all = append(all, u)
			}
		}
	}
	sortBy(all, func(u *user) string { return sortKey(u.name) })
	page, next, err := paginate(all, func(u *user) string { return sortKey(u.name) }, in.Marker, in.MaxItems)
	out := &iam.ListUsersOutput{Users: make([]types.User, 0, len(page)), Marker: next, IsTruncated: next != nil}
	for _, u := range page {
		out.Users = append(out.Users, sdkUser(u, false))
	}
	e.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (e *Engine) iamDeleteUser(ctx context.Context, c *apiCall, in *iam.DeleteUserInput) (*iam.DeleteUserOutput, error) {
	u, err := e.authorizedUser(ctx, c, in.UserName, iamConditions{})
	if err != nil {
		return nil, err
	}
	if err := e.deleteUser(u.account, u.name); err != nil {
		return nil, err
	}
	return &iam.DeleteUserOutput{}, nil
}

func (e *Engine) iamTagUser(ctx context.Context, c *apiCall, in *iam.TagUserInput) (*iam.TagUserOutput, error) {
	reqTags, err := requestTagsIAM(in.Tags)
	if err != nil {
		return nil, err
	}
	u, err := e.authorizedUser(ctx, c, in.UserName, iamConditions{requestTags: reqTags})
	if err != nil {
		return nil, err
	}
	err = e.changeIAM(func(c *iamChange) error {
		merged, err := mergeTags(u.tags, reqTags)
		if err != nil {
			return err
		}
		c.user(u)
		u.tags = merged
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.TagUserOutput{}, nil
}

func (e *Engine) iamUntagUser(ctx context.Context, c *apiCall, in *iam.UntagUserInput) (*iam.UntagUserOutput, error) {
	u, err := e.authorizedUser(ctx, c, in.UserName, iamConditions{tagKeys: in.TagKeys})
	if err != nil {
		return nil, err
	}
	err = e.changeIAM(func(c *iamChange) error {
		c.user(u)
		u.tags = removeTags(u.tags, in.TagKeys)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.UntagUserOutput{}, nil
}

func (e *Engine) iamListUserTags(ctx context.Context, c *apiCall, in *iam.ListUserTagsInput) (*iam.ListUserTagsOutput, error) {
	u, err := e.authorizedUser(ctx, c, in.UserName, iamConditions{})
	if err != nil {
		return nil, err
	}
	page, next, err := paginateTags(e.userTags(u), in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListUserTagsOutput{Tags: page, Marker: next, IsTruncated: next != nil}, nil
}
