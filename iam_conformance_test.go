package fakests

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

// iamDocumentDifferences are the recorded CreatePolicy refusals fakests does
// not reproduce (behaviour §18.2, §20), by id, so that a change in either
// direction is seen. None is left.
var iamDocumentDifferences = map[string]bool{}

// TestConformanceCreatePolicyDocuments replays LocalStack's AWS-validated
// test_create_policy_invalid_document: 78 documents CreatePolicy refused
// with MalformedPolicyDocument (testdata/iam/create_policy_invalid_documents.json),
// each compared by code, text and HTTP status through a real *iam.Client.
func TestConformanceCreatePolicyDocuments(t *testing.T) {
	raw, err := os.ReadFile("testdata/iam/create_policy_invalid_documents.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Cases []struct{ ID, Document, Message string }
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	matched := 0
	for _, tc := range rec.Cases {
		want := strings.NewReplacer("<partition>", "aws", "<region>", "us-east-1").Replace(tc.Message)
		_, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(tc.Document)})
		var got *wantErr
		if err != nil {
			got = errOf(t, err)
		} else {
			must(c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/p")}))(t)
		}
		same := cmp.Equal(got, &wantErr{"MalformedPolicyDocument", want, 400})
		if same {
			matched++
		}
		if same == iamDocumentDifferences[tc.ID] {
			t.Errorf("%s: got %+v, want MalformedPolicyDocument 400 %q (listed as a difference: %v)", tc.ID, got, want, iamDocumentDifferences[tc.ID])
		}
	}
	if matched != 78 {
		t.Errorf("%d of %d recorded refusals reproduced, want 78 (behaviour §20)", matched, len(rec.Cases))
	}
}

// TestConformanceIAMValidation pins IAM's ValidationError template against
// LocalStack's AWS-validated recordings (behaviour §18): no value quoted,
// list members addressed as tags.1.member.key, a list of strings reported
// once with every constraint of its element.
func TestConformanceIAMValidation(t *testing.T) {
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("tagged"), PolicyDocument: aws.String(s3ReadPolicy)}))(t)
	arn := aws.String("arn:aws:iam::123456789012:policy/tagged")
	tag := func(k, v string) iamtypes.Tag { return iamtypes.Tag{Key: aws.String(k), Value: aws.String(v)} }
	var many []iamtypes.Tag
	var manyKeys []string
	for i := 0; i < 51; i++ {
		many = append(many, tag(fmt.Sprint("k", i), "v"))
		manyKeys = append(manyKeys, fmt.Sprint("k", i))
	}
	const pre = "1 validation error detected: "
	for _, tc := range []struct {
		name string
		call func() error
		want string
	}{
		{"too many tags", func() error {
			_, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("more"), PolicyDocument: aws.String(s3ReadPolicy), Tags: many})
			return err
		}, pre + "Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
		{"a long key", func() error {
			_, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("r"), Tags: []iamtypes.Tag{tag(strings.Repeat("k", 129), "v")}})
			return err
		}, pre + "Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"a long value", func() error {
			_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("u"), Tags: []iamtypes.Tag{tag("k", strings.Repeat("v", 257))}})
			return err
		}, pre + "Value at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{"a key with a bad character", func() error {
			_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("u"), Tags: []iamtypes.Tag{tag("k!", "v")}})
			return err
		}, pre + `Value at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`},
		{"too many keys to untag", func() error {
			_, err := c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("r"), TagKeys: manyKeys})
			return err
		}, pre + "Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50"},
		{"a long key to untag", func() error {
			_, err := c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("r"), TagKeys: []string{strings.Repeat("k", 129)}})
			return err
		}, pre + `Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+, Member must not be null]`},
		{"a version ID out of pattern", func() error {
			_, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("1")})
			return err
		}, pre + `Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`},
		{"a long path", func() error {
			_, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("d"), Path: aws.String("/" + strings.Repeat("a", 511) + "/")})
			return err
		}, pre + "Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkErr(t, tc.call(), &wantErr{"ValidationError", tc.want, 400})
		})
	}
}

// TestConformanceCreatePolicyValidDocuments replays documents AWS accepted
// in LocalStack's AWS-validated test_create_policy_valid_document
// (testdata/iam/create_policy_valid_documents.json): condition keys without
// a vendor, dates with odd time zones, region and account placeholders in
// ARNs, empty Sids, access point ARNs. fakests must accept each.
func TestConformanceCreatePolicyValidDocuments(t *testing.T) {
	raw, err := os.ReadFile("testdata/iam/create_policy_valid_documents.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Cases []struct{ ID, Document string }
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	e, _ := newTestEngine(t)
	c := newIAMClient(e, e.DefaultUser().Credentials)
	ctx := context.Background()
	for _, tc := range rec.Cases {
		if _, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(tc.ID), PolicyDocument: aws.String(tc.Document)}); err != nil {
			t.Errorf("%s: %v", tc.ID, err)
		}
	}
	if len(rec.Cases) != 13 {
		t.Errorf("%d recorded documents, want 13", len(rec.Cases))
	}
}
