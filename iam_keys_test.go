package fakests

import (
	"errors"

	"context"
	"github.com/fakests/fakests/apierror"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// invalidKey is STS's answer to a key that authenticates nothing
// (behaviour §10): an Inactive or deleted key gets it too (§18).
var invalidKey = &wantErr{"InvalidClientTokenId", "The security token included in the request is invalid.", 403}

func TestIAMAccessKeys(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []Option
	}{{"strict", []Option{Strict()}}, {"lenient", nil}} {
		t.Run(mode.name, func(t *testing.T) {
			e, _ := newTestEngine(t, mode.opts...)
			c := newIAMClient(e, mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}}).Credentials)
			ctx := context.Background()
			must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ci")}))(t)
			k1 := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ci")}))(t).AccessKey
			want := &iamtypes.AccessKey{AccessKeyId: k1.AccessKeyId, SecretAccessKey: k1.SecretAccessKey,
				Status: "Active", UserName: aws.String("ci"), CreateDate: aws.Time(testEpoch)}
			if diff := cmp.Diff(want, k1, iamOpts); diff != "" {
				t.Errorf("CreateAccessKey (-want +got):\n%s", diff)
			}
			k2 := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ci")}))(t).AccessKey
			// LocalStack's AWS-validated test_access_key_limit.
			_, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ci")})
			checkErr(t, err, &wantErr{"LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409})

			creds := aws.Credentials{AccessKeyID: aws.ToString(k1.AccessKeyId), SecretAccessKey: aws.ToString(k1.SecretAccessKey)}
			identity := func() error {
				_, err := newClient(e, creds).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				return err
			}
			if err := identity(); err != nil {
				t.Fatalf("a new key does not authenticate: %v", err)
			}

			must(c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k1.AccessKeyId, Status: "Inactive"}))(t)
			checkErr(t, identity(), invalidKey)
			list := must(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("ci")}))(t)
			statuses := map[string]iamtypes.StatusType{}
			for _, m := range list.AccessKeyMetadata {
				statuses[aws.ToString(m.AccessKeyId)] = m.Status
			}
			if diff := cmp.Diff(map[string]iamtypes.StatusType{aws.ToString(k1.AccessKeyId): "Inactive", aws.ToString(k2.AccessKeyId): "Active"}, statuses); diff != "" {
				t.Errorf("ListAccessKeys statuses (-want +got):\n%s", diff)
			}
			must(c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k1.AccessKeyId, Status: "Active"}))(t)
			if err := identity(); err != nil {
				t.Fatalf("a key made Active again does not authenticate: %v", err)
			}

			must(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k1.AccessKeyId}))(t)
			// A deleted key is refused in lenient mode too: it is not an
			// unknown key acting as the default user.
			checkErr(t, identity(), invalidKey)
			_, err = c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k1.AccessKeyId, Status: "Active"})
			checkErr(t, err, &wantErr{"NoSuchEntity", "The Access Key with id " + aws.ToString(k1.AccessKeyId) + " cannot be found.", 404})
			// LocalStack's AWS-validated test_access_key_errors.
			_, err = c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE"), Status: "Inactive"})
			checkErr(t, err, &wantErr{"NoSuchEntity", "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.", 404})
		})
	}
}

// TestIAMAccessKeysOfTheCaller: without a UserName, the key operations act
// on the calling user (IAM API reference).
func TestIAMAccessKeysOfTheCaller(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "self", Policies: []string{adminPolicy}})
	c := newIAMClient(e, u.Credentials)
	ctx := context.Background()
	k := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))(t).AccessKey
	if aws.ToString(k.UserName) != "self" {
		t.Errorf("CreateAccessKey without UserName made a key of %q, want self", aws.ToString(k.UserName))
	}
	list := must(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))(t)
	if len(list.AccessKeyMetadata) != 2 {
		t.Errorf("ListAccessKeys without UserName: %d keys, want the caller's 2", len(list.AccessKeyMetadata))
	}
}

// TestAccessKeyAdministration drives the Go methods.
func TestAccessKeyAdministration(t *testing.T) {
	e, _ := newTestEngine(t)
	u := mustUser(t, e, UserSpec{Name: "go"})
	creds, err := e.CreateAccessKey(u.ARN)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.CreateAccessKey(u.ARN)
	checkAdminErr(t, err, &wantErr{"LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", 409})
	if err := e.SetAccessKeyActive(creds.AccessKeyID, false); err != nil {
		t.Fatal(err)
	}
	_, err = e.Principal(creds)
	checkAdminErr(t, err, invalidKey)
	if err := e.SetAccessKeyActive(creds.AccessKeyID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Principal(creds); err != nil {
		t.Fatal(err)
	}
	if err := e.DeleteAccessKey(creds.AccessKeyID); err != nil {
		t.Fatal(err)
	}
	_, err = e.Principal(creds)
	checkAdminErr(t, err, invalidKey)
	checkAdminErr(t, e.DeleteAccessKey(creds.AccessKeyID),
		&wantErr{"NoSuchEntity", "The Access Key with id " + creds.AccessKeyID + " cannot be found.", 404})
	checkAdminErr(t, e.DeleteUser(u.ARN), &wantErr{"DeleteConflict", "Cannot delete entity, must delete access keys first.", 409})
	if err := e.DeleteAccessKey(u.Credentials.AccessKeyID); err != nil {
		t.Fatal(err)
	}
	if err := e.DeleteUser(u.ARN); err != nil {
		t.Fatal(err)
	}
	checkAdminErr(t, e.DeleteUser(u.ARN), &wantErr{"NoSuchEntity", "The user with name go cannot be found.", 404})
}

// checkAdminErr compares an administration method's error, an
// *apierror.Error, with want.
func checkAdminErr(t *testing.T, err error, want *wantErr) {
	t.Helper()
	var got *wantErr
	if ae := apiErrorOf(err); ae != nil {
		got = &wantErr{ae.Code, ae.Message, ae.Status}
	} else if err != nil {
		t.Fatalf("error %v (%T) carries no IAM code", err, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error mismatch (-want +got):\n%s", diff)
	}
}

// apiErrorOf returns the *apierror.Error err carries, or nil.
func apiErrorOf(err error) *apierror.Error {
	var ae *apierror.Error
	if errors.As(err, &ae) {
		return ae
	}
	return nil
}
