package fakests

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/google/go-cmp/cmp"
)

// iamRequest is one raw request to the Handler.
type iamRequest struct {
	form             string // the POST body
	service, region  string // the signature's scope; "" leaves it unsigned
	host             string // default iam.amazonaws.com
	creds            aws.Credentials
	get              bool // send form as a GET query
	skipDefaultForms bool // do not add Version=2010-05-08
}

// iamServe signs and sends req to e's Handler.
func iamServe(t *testing.T, e *Engine, req iamRequest) *httptest.ResponseRecorder {
	t.Helper()
	host := req.host
	if host == "" {
		host = iamGlobalHost
	}
	form := req.form
	if !req.skipDefaultForms {
		form += "&Version=2010-05-08"
	}
	var r *http.Request
	var body []byte
	if req.get {
		r = httptest.NewRequest(http.MethodGet, "http://"+host+"/?"+form, nil)
	} else {
		body = []byte(form)
		r = httptest.NewRequest(http.MethodPost, "http://"+host+"/", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	}
	if req.service != "" {
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(context.Background(), req.creds, r, hex.EncodeToString(sum[:]), req.service, req.region, time.Now()); err != nil {
			t.Fatal(err)
		}
		r.Body = http.NoBody
		if body != nil {
			r.Body = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form)).Body
		}
	}
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, r)
	return rec
}

// wireError extracts code and message of an IAM error document, checking
// its namespace.
func wireError(t *testing.T, rec *httptest.ResponseRecorder) *wantErr {
	t.Helper()
	body := rec.Body.String()
	if rec.Code == 200 {
		return nil
	}
	if !strings.HasPrefix(body, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">`) {
		t.Fatalf("not an IAM error document:\n%s", body)
	}
	code := regexp.MustCompile(`<Code>(.*)</Code>`).FindStringSubmatch(body)
	msg := regexp.MustCompile(`<Message>(.*)</Message>`).FindStringSubmatch(body)
	got := &wantErr{Status: rec.Code}
	if code != nil {
		got.Code = code[1]
	}
	if msg != nil {
		got.Message = strings.NewReplacer("&apos;", "'", "&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(msg[1])
	}
	return got
}

// TestIAMWireExactBytes pins whole documents: a success with a structure,
// an operation without output, and an error in IAM's namespace (behaviour
// §18, the envelope of §1.3).
func TestIAMWireExactBytes(t *testing.T) {
	e, _ := newTestEngine(t, WithRand(zeroReader{}))
	creds := e.DefaultUser().Credentials
	rec := iamServe(t, e, iamRequest{form: "Action=CreateUser&UserName=alice&Path=%2Fteam%2F", service: "iam", region: "us-east-1", creds: creds})
	id := rec.Header().Get("X-Amzn-Requestid")
	u := e.userPrincipalOf(t, "alice")
	want := `<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <CreateUserResult>
    <User>
      <Arn>arn:aws:iam::123456789012:user/team/alice</Arn>
      <CreateDate>2030-06-01T12:00:00Z</CreateDate>
      <Path>/team/</Path>
      <UserId>` + u.UserID + `</UserId>
      <UserName>alice</UserName>
    </User>
  </CreateUserResult>
  <ResponseMetadata>
    <RequestId>` + id + `</RequestId>
  </ResponseMetadata>
</CreateUserResponse>
`
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" || rec.Code != 200 || rec.Header().Get("Content-Type") != "text/xml" {
		t.Errorf("CreateUser: status %d, Content-Type %q (-want +got):\n%s", rec.Code, rec.Header().Get("Content-Type"), diff)
	}

	rec = iamServe(t, e, iamRequest{form: "Action=TagUser&UserName=alice&Tags.member.1.Key=a&Tags.member.1.Value=b", service: "iam", region: "us-east-1", creds: creds})
	id = rec.Header().Get("X-Amzn-Requestid")
	want = `<TagUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ResponseMetadata>
    <RequestId>` + id + `</RequestId>
  </ResponseMetadata>
</TagUserResponse>
`
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" {
		t.Errorf("TagUser (-want +got):\n%s", diff)
	}

	rec = iamServe(t, e, iamRequest{form: "Action=GetUser&UserName=bob", service: "iam", region: "us-east-1", creds: creds})
	id = rec.Header().Get("X-Amzn-Requestid")
	want = `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error>
    <Type>Sender</Type>
    <Code>NoSuchEntity</Code>
    <Message>The user with name bob cannot be found.</Message>
  </Error>
  <RequestId>` + id + `</RequestId>
</ErrorResponse>
`
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" || rec.Code != 404 {
		t.Errorf("GetUser of a missing user: status %d (-want +got):\n%s", rec.Code, diff)
	}
}

// TestIAMWireRouting: the Handler tells IAM from STS by Version or by the
// signature's service, and authenticates IAM as IAM (behaviour §18).
func TestIAMWireRouting(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	creds := mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}}).Credentials
	cases := []struct {
		name string
		req  iamRequest
		want *wantErr
	}{
		{"Version and scope iam", iamRequest{form: "Action=ListUsers", service: "iam", region: "us-east-1"}, nil},
		{"GET with the scope iam", iamRequest{form: "Action=ListUsers", service: "iam", region: "us-east-1", get: true}, nil},
		{"no Version, scope iam", iamRequest{form: "Action=ListUsers", service: "iam", region: "us-east-1", skipDefaultForms: true}, nil},
		{"a test server's host takes any served region", iamRequest{form: "Action=ListUsers", service: "iam", region: "eu-west-1", host: "127.0.0.1:4566"}, nil},
		{"IAM's Version signed for sts", iamRequest{form: "Action=ListUsers", service: "sts", region: "us-east-1"},
			&wantErr{"SignatureDoesNotMatch", "Credential should be scoped to correct service: 'iam'. ", 403}},
		{"iam.amazonaws.com takes us-east-1 only", iamRequest{form: "Action=ListUsers", service: "iam", region: "eu-west-1"},
			&wantErr{"SignatureDoesNotMatch", "Credential should be scoped to a valid region, not 'eu-west-1'. ", 403}},
		{"STS's Version signed for iam", iamRequest{form: "Action=ListUsers&Version=2011-06-15", service: "iam", region: "us-east-1", skipDefaultForms: true},
			&wantErr{"InvalidAction", "Could not find operation ListUsers for version 2011-06-15", 400}},
		{"an IAM action fakests does not serve", iamRequest{form: "Action=CreateGroup&GroupName=g", service: "iam", region: "us-east-1"},
			&wantErr{"InvalidAction", "Could not find operation CreateGroup for version 2010-05-08", 400}},
		{"unsigned", iamRequest{form: "Action=ListUsers"},
			&wantErr{"MissingAuthenticationToken", "Request is missing Authentication Token", 403}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.creds = creds
			rec := iamServe(t, e, tc.req)
			if diff := cmp.Diff(tc.want, wireError(t, rec)); diff != "" {
				t.Errorf("(-want +got):\n%s\n%s", diff, rec.Body)
			}
			if tc.want == nil && !strings.HasPrefix(rec.Body.String(), `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">`) {
				t.Errorf("not a ListUsers answer:\n%s", rec.Body)
			}
		})
	}
	// STS is served as before on the same Handler.
	rec := iamServe(t, e, iamRequest{form: "Action=GetCallerIdentity&Version=2011-06-15", service: "sts", region: "us-east-1", host: "sts.amazonaws.com", creds: creds, skipDefaultForms: true})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "<GetCallerIdentityResponse") {
		t.Errorf("STS on the same Handler: %d\n%s", rec.Code, rec.Body)
	}
}

// TestIAMWireInputs pins how IAM reads integers, booleans and list
// indexes: the stackd captures iam/pagination_inputs.json,
// iam/credential_inputs.json and iam/query_collections.json (behaviour
// §18).
func TestIAMWireInputs(t *testing.T) {
	e, _ := newTestEngine(t)
	creds := e.DefaultUser().Credentials
	malformed := &wantErr{"MalformedInput", "", 400}
	cases := []struct {
		name, form string
		want       *wantErr
	}{
		{"MaxItems 1", "Action=ListUsers&MaxItems=1", nil},
		{"MaxItems 01", "Action=ListUsers&MaxItems=01", nil},
		{"MaxItems +1", "Action=ListUsers&MaxItems=%2B1", nil},
		{"MaxItems with spaces", "Action=ListUsers&MaxItems=%201%20", malformed},
		{"MaxItems 1.0", "Action=ListUsers&MaxItems=1.0", malformed},
		{"MaxItems 1e0", "Action=ListUsers&MaxItems=1e0", malformed},
		{"MaxItems 2147483648", "Action=ListUsers&MaxItems=2147483648", malformed},
		{"MaxItems 0", "Action=ListUsers&MaxItems=0", &wantErr{"ValidationError",
			"1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1", 400}},
		{"MaxItems 1001", "Action=ListUsers&MaxItems=1001", &wantErr{"ValidationError",
			"1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000", 400}},
		{"an unknown member is ignored", "Action=ListUsers&MaxItems=1&Tags.member.1.Key=ignored&Tags.member.1.Value=ignored", nil},
		{"boolean true", "Action=ListPolicies&OnlyAttached=true", nil},
		{"boolean 1", "Action=ListPolicies&OnlyAttached=1", nil},
		{"boolean 0", "Action=ListPolicies&OnlyAttached=0", nil},
		{"boolean True", "Action=ListPolicies&OnlyAttached=True", malformed},
		{"boolean with a space", "Action=ListPolicies&OnlyAttached=%20true", malformed},
		{"boolean empty", "Action=ListPolicies&OnlyAttached=", malformed},
		{"boolean null", "Action=ListPolicies&OnlyAttached=null", malformed},
		{"index 01", "Action=TagUser&UserName=fakests-default&Tags.member.01.Key=k&Tags.member.01.Value=v", nil},
		{"index +1", "Action=TagUser&UserName=fakests-default&Tags.member.%2B1.Key=k&Tags.member.%2B1.Value=v", &wantErr{"MalformedInput", "Start of list found where not expected", 400}},
		{"index one", "Action=TagUser&UserName=fakests-default&Tags.member.one.Key=k", &wantErr{"MalformedInput", "Start of list found where not expected", 400}},
		{"index 0", "Action=TagUser&UserName=fakests-default&Tags.member.0.Key=k", &wantErr{"MalformedInput", "0 is not a valid index", 400}},
		{"index -1", "Action=TagUser&UserName=fakests-default&Tags.member.-1.Key=k", &wantErr{"MalformedInput", "Key -1 may not have a leading '-'", 400}},
		{"index 12", "Action=TagUser&UserName=fakests-default&Tags.member.12.Key=k&Tags.member.12.Value=v", &wantErr{"MalformedInput", "Excessively sparse input would skip 11 list elements", 400}},
		{"indexes 1 and 22", "Action=TagUser&UserName=fakests-default&Tags.member.1.Key=k&Tags.member.1.Value=v&Tags.member.22.Key=l&Tags.member.22.Value=w",
			&wantErr{"MalformedInput", "Excessively sparse input would skip 21 list elements", 400}},
	}
	tenThen21 := "Action=TagUser&UserName=fakests-default"
	for i := 1; i <= 10; i++ {
		tenThen21 += fmt.Sprintf("&Tags.member.%d.Key=k%d&Tags.member.%d.Value=v", i, i, i)
	}
	cases = append(cases, struct {
		name, form string
		want       *wantErr
	}{"indexes 1 to 10 and 21", tenThen21 + "&Tags.member.21.Key=k21&Tags.member.21.Value=v", &wantErr{"MalformedInput", "Excessively sparse input would skip 11 list elements", 400}})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := iamServe(t, e, iamRequest{form: tc.form, service: "iam", region: "us-east-1", creds: creds})
			if diff := cmp.Diff(tc.want, wireError(t, rec)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestIAMPagination walks ListUsers, ListRoles and ListPolicies page by
// page with Marker and MaxItems (behaviour §18).
func TestIAMPagination(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	c := newIAMClient(e, mustUser(t, e, UserSpec{Name: "admin", Policies: []string{adminPolicy}}).Credentials)
	ctx := context.Background()
	var wantNames []string
	for _, n := range []string{"delta", "Alpha", "charlie", "bravo", "echo"} {
		must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(n), Path: aws.String("/p/")}))(t)
		must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(n), AssumeRolePolicyDocument: aws.String(trustAccount("123456789012"))}))(t)
		must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(n), PolicyDocument: aws.String(s3ReadPolicy)}))(t)
	}
	wantNames = []string{"Alpha", "bravo", "charlie", "delta", "echo"}

	var got []string
	var marker *string
	pages := 0
	for {
		out := must(c.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/p/"), MaxItems: aws.Int32(2), Marker: marker}))(t)
		for _, u := range out.Users {
			got = append(got, aws.ToString(u.UserName))
		}
		pages++
		if out.IsTruncated != (out.Marker != nil) {
			t.Fatalf("IsTruncated %v with Marker %v", out.IsTruncated, out.Marker)
		}
		if !out.IsTruncated {
			break
		}
		marker = out.Marker
	}
	if diff := cmp.Diff(wantNames, got); diff != "" || pages != 3 {
		t.Errorf("ListUsers in %d pages of two (-want +got):\n%s", pages, diff)
	}

	// The SDK's paginators walk the same markers.
	var roles []string
	for p := iam.NewListRolesPaginator(c, &iam.ListRolesInput{MaxItems: aws.Int32(2)}); p.HasMorePages(); {
		for _, r := range must(p.NextPage(ctx))(t).Roles {
			roles = append(roles, aws.ToString(r.RoleName))
		}
	}
	if diff := cmp.Diff(wantNames, roles); diff != "" {
		t.Errorf("ListRoles through the paginator (-want +got):\n%s", diff)
	}
	var policies []string
	for p := iam.NewListPoliciesPaginator(c, &iam.ListPoliciesInput{Scope: "Local", MaxItems: aws.Int32(4)}); p.HasMorePages(); {
		for _, pol := range must(p.NextPage(ctx))(t).Policies {
			policies = append(policies, aws.ToString(pol.PolicyName))
		}
	}
	if diff := cmp.Diff(wantNames, policies); diff != "" {
		t.Errorf("ListPolicies through the paginator (-want +got):\n%s", diff)
	}

	// A marker fakests did not hand out (LocalStack's AWS-validated
	// test_list_virtual_mfa_devices).
	_, err := c.ListUsers(ctx, &iam.ListUsersInput{Marker: aws.String("not-a-marker")})
	checkErr(t, err, &wantErr{"ValidationError", "Invalid Marker.", 400})
	_, err = c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(0)})
	checkErr(t, err, &wantErr{"ValidationError", "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1", 400})
}
