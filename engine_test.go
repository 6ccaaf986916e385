package fakests

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

func TestSweepExpiredForgetsOnlyExpiredSessions(t *testing.T) {
	e, clk := newTestEngine(t, Strict())
	ctx := context.Background()
	short, err := e.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	// Before the sweep the expired holder hears ExpiredToken, as from AWS.
	_, err = e.GetCallerIdentity(WithCaller(ctx, credsOf(short.Credentials)), nil)
	checkErr(t, err, &wantErr{"ExpiredToken", "The security token included in the request is expired", 403})
	if n := e.SweepExpired(0); n != 1 || e.SessionCount() != 1 {
		t.Fatalf("SweepExpired removed %d and left %d; want 1 and 1", n, e.SessionCount())
	}
	_, err = e.GetCallerIdentity(WithCaller(ctx, credsOf(short.Credentials)), nil)
	checkErr(t, err, &wantErr{"InvalidClientTokenId", "The security token included in the request is invalid.", 403})
}

// An old-generation key ID carries no account and the engine never issued
// it: fakests answers InvalidParameterValue (AWS's answer is unverified,
// behaviour §11.6), on both paths.
func TestGetAccessKeyInfoUnknownOldKey(t *testing.T) {
	e, _ := newTestEngine(t)
	for _, p := range paths(e) {
		t.Run(p.name, func(t *testing.T) {
			api, ctx := p.api(e.DefaultUser().Credentials)
			_, err := api.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE")})
			checkErr(t, err, &wantErr{"InvalidParameterValue", "The specified access key ID AKIAIOSFODNN7EXAMPLE does not exist", 400})
		})
	}
}

// A presigned GetCallerIdentity URL with X-Amz-Expires=60 signed two
// minutes ago has expired under SigV4's rule (the default) and is still
// good with WithPresignWindowFixed, which models STS's reported 15 minutes.
func TestWithPresignWindowFixed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []Option
		want   handlerAnswer
		window string // of the "Signature expired" message, checked apart
	}{
		{"default: X-Amz-Expires is honoured", nil,
			handlerAnswer{Status: 403, Root: "ErrorResponse", Type: "Sender", Code: "SignatureDoesNotMatch"}, "1 min"},
		{"WithPresignWindowFixed: 15 minutes whatever X-Amz-Expires says", []Option{WithPresignWindowFixed()},
			handlerAnswer{Status: 200, Root: "GetCallerIdentityResponse", Arn: "arn:aws:iam::123456789012:user/fakests-default", Account: "123456789012"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := newTestEngine(t, tc.opts...)
			srv := httptest.NewServer(e.Handler())
			defer srv.Close()
			u := e.DefaultUser()
			before, signedAt := time.Now(), time.Now().Add(-2*time.Minute)
			status, body := handlerGet(t, http.MethodGet, handlerSignAt(t, srv.URL, u.Credentials, signedAt, "60"), nil)
			got := handlerParse(t, status, body)
			if tc.window != "" {
				checkExpiredMessage(t, got.Message, signedAt, tc.window, before, time.Now())
				got.Message = ""
			} else {
				tc.want.UserID = u.UserID
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s\nbody:\n%s", diff, body)
			}
		})
	}
}

// GetSessionToken credentials assume a role for two hours by default; with
// WithSessionTokenChainingLimit they get the chaining error, as users
// reported of STS (behaviour §5, unverified).
func TestWithSessionTokenChainingLimit(t *testing.T) {
	chaining := &wantErr{"ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", 400}
	for _, tc := range []struct {
		name string
		opts []Option
		want *wantErr
	}{
		{"default: a GetSessionToken session is not a role session", nil, nil},
		{"WithSessionTokenChainingLimit: it counts as chaining", []Option{WithSessionTokenChainingLimit()}, chaining},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := newTestEngine(t, tc.opts...)
			r := mustRole(t, e, RoleSpec{Name: "long", MaxSessionDuration: 4 * time.Hour})
			for _, p := range paths(e) {
				t.Run(p.name, func(t *testing.T) {
					api, ctx := p.api(e.DefaultUser().Credentials)
					st, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
					if err != nil {
						t.Fatal(err)
					}
					api, ctx = p.api(credsOf(st.Credentials))
					_, err = api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String("two-hours"), DurationSeconds: aws.Int32(7200)})
					checkErr(t, err, tc.want)
				})
			}
		})
	}
}
