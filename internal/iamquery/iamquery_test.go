package iamquery

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var opts = cmp.Options{cmpopts.IgnoreUnexported(iam.CreateUserInput{}, iam.ListPoliciesInput{}, iam.TagUserInput{},
	iam.CreateOpenIDConnectProviderInput{}, iam.UntagUserInput{}, types.Tag{})}

func form(t *testing.T, s string) url.Values {
	t.Helper()
	f, err := url.ParseQuery(s)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// errOf returns code and message of an *apierror.Error.
func errOf(err error) [2]string {
	var ae *apierror.Error
	if errors.As(err, &ae) {
		return [2]string{ae.Code, ae.Message}
	}
	if err != nil {
		return [2]string{"?", err.Error()}
	}
	return [2]string{}
}

func TestAction(t *testing.T) {
	for _, tc := range []struct {
		form string
		want [2]string
	}{
		{"Action=ListUsers&Version=2010-05-08", [2]string{}},
		{"Action=ListUsers", [2]string{}},
		{"Version=2010-05-08", [2]string{"MissingAction", "Missing Action"}},
		{"Action=&Version=2010-05-08", [2]string{"InvalidAction", "Could not find operation  for version 2010-05-08"}},
		{"Action=ListUsers&Version=2011-06-15", [2]string{"InvalidAction", "Could not find operation ListUsers for version 2011-06-15"}},
	} {
		_, err := Action(form(t, tc.form))
		if diff := cmp.Diff(tc.want, errOf(err)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.form, diff)
		}
	}
}

func TestDecode(t *testing.T) {
	in := new(iam.CreateOpenIDConnectProviderInput)
	err := Decode(form(t, "Url=https%3A%2F%2Fx&ClientIDList.member.2=b&ClientIDList.member.1=a&ClientIDList.member.01=dup"+
		"&Tags.member.1.Key=k&Tags.member.1.Value=v&Tags.member.1.Bogus=x&Url=second&Unknown=1"), in)
	if err != nil {
		t.Fatal(err)
	}
	want := &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://x"), ClientIDList: []string{"a", "b"},
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}
	if diff := cmp.Diff(want, in, opts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	lp := new(iam.ListPoliciesInput)
	if err := Decode(form(t, "OnlyAttached=1&MaxItems=%2B005&Scope=Local"), lp); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&iam.ListPoliciesInput{OnlyAttached: true, MaxItems: aws.Int32(5), Scope: "Local"}, lp, opts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// A bare key is an empty list, as the Go SDK sends one.
	ut := new(iam.UntagUserInput)
	if err := Decode(form(t, "UserName=u&TagKeys="), ut); err != nil {
		t.Fatal(err)
	}
	if ut.TagKeys == nil || len(ut.TagKeys) != 0 {
		t.Errorf("TagKeys= gave %#v, want an empty list", ut.TagKeys)
	}

	for _, tc := range []struct {
		form string
		want [2]string
	}{
		{"MaxItems=", [2]string{"MalformedInput", "missing value for decimal type"}},
		{"MaxItems=1.0", [2]string{"MalformedInput", ""}},
		{"OnlyAttached=yes", [2]string{"MalformedInput", ""}},
		{"PathPrefix=%2F&OnlyAttached=false", [2]string{}},
	} {
		err := Decode(form(t, tc.form), new(iam.ListPoliciesInput))
		if diff := cmp.Diff(tc.want, errOf(err)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.form, diff)
		}
	}
	if err := Decode(url.Values{}, iam.ListPoliciesInput{}); err == nil {
		t.Error("Decode accepted a structure that is not a pointer")
	}
}

// testOutput has a member of every kind the encoder writes.
type testOutput struct {
	Name      *string
	Enum      types.StatusType
	Unset     types.StatusType
	Count     *int32
	Flag      bool
	When      *time.Time
	Blob      []byte
	Empty     []string
	Absent    []types.Tag
	Tags      []types.Tag
	EmptyNest *types.RoleLastUsed
	Nest      *types.RoleLastUsed
	Text      *string

	ResultMetadata struct{}
	hidden         int
}

func TestAppendResult(t *testing.T) {
	when := time.Date(2030, 6, 1, 12, 0, 0, 999, time.FixedZone("x", 3600))
	out := &testOutput{Name: aws.String("n"), Enum: "Active", Count: aws.Int32(3), When: &when, Blob: []byte("AB"),
		Empty: []string{}, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}, EmptyNest: &types.RoleLastUsed{},
		Nest: &types.RoleLastUsed{Region: aws.String("r")}, Text: aws.String("<&>\"'\r\x01\xff")}
	got, err := AppendResult(nil, "Op", out, "id")
	if err != nil {
		t.Fatal(err)
	}
	want := `<OpResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <OpResult>
    <Name>n</Name>
    <Enum>Active</Enum>
    <Count>3</Count>
    <Flag>false</Flag>
    <When>2030-06-01T11:00:00Z</When>
    <Blob>QUI=</Blob>
    <Empty/>
    <Tags>
      <member>
        <Key>k</Key>
        <Value>v</Value>
      </member>
    </Tags>
    <EmptyNest/>
    <Nest>
      <Region>r</Region>
    </Nest>
    <Text>&lt;&amp;&gt;&quot;&apos;&#xD;` + "\uFFFD\uFFFD" + `</Text>
  </OpResult>
  <ResponseMetadata>
    <RequestId>id</RequestId>
  </ResponseMetadata>
</OpResponse>
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got, _ = AppendResult(nil, "UpdateRole", &iam.UpdateRoleOutput{}, "id")
	if !bytes.Contains(got, []byte("\n  <UpdateRoleResult/>\n")) {
		t.Errorf("an output without members:\n%s", got)
	}
	if _, err := AppendResult([]byte("keep"), "Op", struct{ M map[string]string }{}, "id"); err == nil {
		t.Error("AppendResult accepted a structure that is not a pointer")
	}
	if b, err := AppendResult([]byte("keep"), "Op", &struct{ M map[string]string }{M: map[string]string{}}, "id"); err == nil || string(b) != "keep" {
		t.Errorf("a map member: %q, %v; want an error and buf unchanged", b, err)
	}
}

func TestAppendEmptyAndError(t *testing.T) {
	want := "<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n  <ResponseMetadata>\n    <RequestId>id</RequestId>\n  </ResponseMetadata>\n</DeleteUserResponse>\n"
	if got := string(AppendEmpty(nil, "DeleteUser", "id")); got != want {
		t.Errorf("AppendEmpty:\n%s", got)
	}
	want = "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>MalformedInput</Code>\n  </Error>\n  <RequestId>id</RequestId>\n</ErrorResponse>\n"
	if got := string(AppendError(nil, "Sender", "MalformedInput", "", "id")); got != want {
		t.Errorf("AppendError without a message:\n%s", got)
	}
}

// wellFormed reports whether b is one well-formed XML document.
func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// FuzzDecode decodes arbitrary forms into inputs of several shapes and
// writes each decoded structure back as a document: neither may panic, and
// the document must be well-formed XML.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"UserName=u&Path=%2F&Tags.member.1.Key=k&Tags.member.1.Value=v",
		"Tags.member.0.Key=k", "Tags.member.-1.Key=k", "Tags.member.12.Key=k", "Tags.member..Key=k",
		"ClientIDList.member.99999999999999999999=a", "MaxItems=%2B1&OnlyAttached=1", "TagKeys=",
		"Url=%FF%FE&ClientIDList.member.1=%00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		values, err := url.ParseQuery(s)
		if err != nil {
			return
		}
		for _, in := range []any{new(iam.CreateUserInput), new(iam.ListPoliciesInput), new(iam.TagUserInput),
			new(iam.CreateOpenIDConnectProviderInput), new(iam.UntagUserInput), new(iam.EnableMFADeviceInput)} {
			if err := Decode(values, in); err != nil {
				var ae *apierror.Error
				if !errors.As(err, &ae) {
					t.Fatalf("a decoding error that is no *apierror.Error: %v", err)
				}
				continue
			}
			b, err := AppendResult(nil, "Op", in, "id")
			if err != nil {
				t.Fatalf("AppendResult of a decoded %T: %v", in, err)
			}
			if err := wellFormed(b); err != nil {
				t.Fatalf("not well-formed: %v\n%s", err, b)
			}
		}
	})
}
