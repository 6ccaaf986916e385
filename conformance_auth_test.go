package fakests

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// AWS's texts for authentication failures (behaviour §10).
var (
	errInvalidToken = &wantErr{"InvalidClientTokenId", "The security token included in the request is invalid.", 403}
	errExpiredToken = &wantErr{"ExpiredToken", "The security token included in the request is expired", 403}
	errBadSignature = &wantErr{"SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", 403}
)

// unknownKey is an access key ID no engine issued.
var unknownKey = aws.Credentials{AccessKeyID: "AKIAZ7777777777777QQ", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}

// flipChar returns s with the character at i replaced by another one of
// the base64 alphabet.
func flipChar(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

// callerOf returns the Arn GetCallerIdentity reports for creds, or the error.
func callerOf(ctx context.Context, api stsAPI) (string, error) {
	out, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.Arn), nil
}

// TestConformanceLenientAndStrict pins the two modes of the engine issue:
// lenient New() forgives unknown keys and roles; Strict() answers as AWS
// does (behaviour §10: unknown key → InvalidClientTokenId, unknown role →
// AccessDenied, indistinguishable from a denial).
func TestConformanceLenientAndStrict(t *testing.T) {
	lenient, strict := newWorld(t), newWorld(t, Strict())
	ghost := "arn:aws:iam::123456789012:role/Ghost"
	rows := []struct {
		name     string
		w        *world
		creds    aws.Credentials
		roleARN  string        // "" for GetCallerIdentity
		duration *int32        // for AssumeRole
		wantArn  string        // caller Arn, or assumed-role Arn
		wantExp  time.Duration // for AssumeRole
		want     *wantErr
	}{
		{"lenient: an unknown access key acts as the default user", lenient, unknownKey, "", nil,
			"arn:aws:iam::123456789012:user/fakests-default", 0, nil},
		{"lenient: a role never created is assumable, for one hour", lenient, lenient.bob.Credentials, ghost, nil,
			"arn:aws:sts::123456789012:assumed-role/Ghost/sess", time.Hour, nil},
		{"lenient: a role never created has a one-hour MaxSessionDuration", lenient, lenient.bob.Credentials, ghost, aws.Int32(7200), "", 0,
			&wantErr{"ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400}},
		{"lenient: a created role named in the wrong case is denied", lenient, lenient.bob.Credentials, "arn:aws:iam::123456789012:role/long", nil, "", 0,
			&wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/division/Bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/long", 403}},
		{"lenient: a created role's trust policy is still enforced", lenient, lenient.plain.Credentials, lenient.long.ARN, nil, "", 0,
			&wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/Plain is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Long", 403}},
		{"strict: an unknown access key is InvalidClientTokenId", strict, unknownKey, "", nil, "", 0, errInvalidToken},
		{"strict: a role never created is AccessDenied naming the caller and the RoleArn", strict, strict.bob.Credentials, ghost, nil, "", 0,
			&wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/division/Bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Ghost", 403}},
		{"strict: a created role named in the wrong case is denied", strict, strict.bob.Credentials, "arn:aws:iam::123456789012:role/LONG", nil, "", 0,
			&wantErr{"AccessDenied", "User: arn:aws:iam::123456789012:user/division/Bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/LONG", 403}},
		{"strict: a role session is denied a missing role with its session ARN", strict, strict.roleSession(t, strict.bob.Credentials, strict.long, "sx"), ghost, nil, "", 0,
			&wantErr{"AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/Long/sx is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Ghost", 403}},
		{"strict: a created role is assumable as usual", strict, strict.bob.Credentials, strict.long.ARN, nil,
			"arn:aws:sts::123456789012:assumed-role/Long/sess", time.Hour, nil},
	}
	for _, row := range rows {
		for _, p := range paths(row.w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(row.creds)
				if row.roleARN == "" {
					arn, err := callerOf(ctx, api)
					checkErr(t, err, row.want)
					if err == nil && arn != row.wantArn {
						t.Errorf("Arn = %s, want %s", arn, row.wantArn)
					}
					return
				}
				out, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(row.roleARN), RoleSessionName: aws.String("sess"), DurationSeconds: row.duration})
				checkErr(t, err, row.want)
				if err != nil {
					return
				}
				if got := aws.ToString(out.AssumedRoleUser.Arn); got != row.wantArn {
					t.Errorf("Arn = %s, want %s", got, row.wantArn)
				}
				if diff := cmp.Diff(row.w.e.Now().Add(row.wantExp), aws.ToTime(out.Credentials.Expiration)); diff != "" {
					t.Errorf("Expiration (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestConformanceAuthentication pins how bad credentials are answered
// (behaviour §10) in both modes.
func TestConformanceAuthentication(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []Option
	}{{"lenient", nil}, {"strict", []Option{Strict()}}} {
		w := newWorld(t, mode.opts...)
		sess := w.sessionToken(t, w.bob.Credentials)
		wrongSecret := w.bob.Credentials
		wrongSecret.SecretAccessKey = strings.Repeat("x", 40)
		sessWrongSecret := sess
		sessWrongSecret.SecretAccessKey = strings.Repeat("y", 40)
		sessWrongToken := sess
		sessWrongToken.SessionToken = flipChar(sess.SessionToken, 100)
		sessNoToken := sess
		sessNoToken.SessionToken = ""
		rows := []struct {
			name  string
			creds aws.Credentials
			want  *wantErr
		}{
			{"a user's key with a wrong secret is SignatureDoesNotMatch", wrongSecret, errBadSignature},
			{"session credentials with a wrong secret are SignatureDoesNotMatch", sessWrongSecret, errBadSignature},
			{"session credentials with a wrong session token are InvalidClientTokenId", sessWrongToken, errInvalidToken},
			{"session credentials without their session token are InvalidClientTokenId", sessNoToken, errInvalidToken},
		}
		for _, row := range rows {
			for _, p := range paths(w.e) {
				t.Run(mode.name+": "+row.name+"/"+p.name, func(t *testing.T) {
					api, ctx := p.api(row.creds)
					_, err := callerOf(ctx, api)
					checkErr(t, err, row.want)
				})
			}
		}
	}
}

// TestConformanceExpiredCredentials pins ExpiredToken 403 (not the
// modelled ExpiredTokenException) for expired caller credentials on every
// operation, judged on the engine clock (behaviour §10, §14 item 11).
func TestConformanceExpiredCredentials(t *testing.T) {
	w := newWorld(t)
	roleSess := w.roleSession(t, w.bob.Credentials, w.long, "short")
	gst := w.sessionToken(t, w.bob.Credentials)
	fed := w.federation(t, w.bob.Credentials, "Carol")
	w.clk.Advance(12*time.Hour + time.Second)
	ops := map[string]func(context.Context, stsAPI) error{
		"AssumeRole": func(ctx context.Context, api stsAPI) error {
			_, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.next.ARN), RoleSessionName: aws.String("late")})
			return err
		},
		"GetCallerIdentity": func(ctx context.Context, api stsAPI) error { _, err := callerOf(ctx, api); return err },
		"GetAccessKeyInfo": func(ctx context.Context, api stsAPI) error {
			_, err := api.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(w.bob.Credentials.AccessKeyID)})
			return err
		},
		"GetSessionToken": func(ctx context.Context, api stsAPI) error { _, err := api.GetSessionToken(ctx, nil); return err },
		"GetFederationToken": func(ctx context.Context, api stsAPI) error {
			_, err := api.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("late")})
			return err
		},
	}
	for _, c := range []struct {
		name  string
		creds aws.Credentials
	}{{"expired role session", roleSess}, {"expired GetSessionToken session", gst}, {"expired federated user", fed}} {
		for op, call := range ops {
			for _, p := range paths(w.e) {
				t.Run(c.name+" calling "+op+" is ExpiredToken/"+p.name, func(t *testing.T) {
					api, ctx := p.api(c.creds)
					checkErr(t, call(ctx, api), errExpiredToken)
				})
			}
		}
	}
	t.Run("long-term keys do not expire", func(t *testing.T) {
		for _, p := range paths(w.e) {
			api, ctx := p.api(w.bob.Credentials)
			if _, err := callerOf(ctx, api); err != nil {
				t.Errorf("%s: %v", p.name, err)
			}
		}
	})
}

// TestConformanceEngineClockAdvance pins the clarification that the Date
// header follows the wall clock: after the engine clock moves five hours
// ahead, the same client keeps working call after call (a client that
// learned the engine's offset would sign in the future and be refused).
func TestConformanceEngineClockAdvance(t *testing.T) {
	w := newWorld(t)
	long := newClient(w.e, w.bob.Credentials)
	gst := newClient(w.e, w.sessionToken(t, w.bob.Credentials)) // 12 hours: still valid after 5
	ctx := context.Background()
	for _, c := range []*sts.Client{long, gst} {
		if _, err := callerOf(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	w.clk.Advance(5 * time.Hour)
	for i := 0; i < 25; i++ {
		for j, c := range []*sts.Client{long, gst} {
			if arn, err := callerOf(ctx, c); err != nil || arn != w.bob.ARN {
				t.Fatalf("call %d through client %d after a 5-hour advance: %s, %v", i, j, arn, err)
			}
			out, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), RoleSessionName: aws.String("after")})
			if err != nil {
				t.Fatalf("AssumeRole %d through client %d: %v", i, j, err)
			}
			if got, want := aws.ToTime(out.Credentials.Expiration), testEpoch.Add(6*time.Hour); !got.Equal(want) {
				t.Fatalf("Expiration = %v, want the engine clock + 1h = %v", got, want)
			}
		}
	}
}

// errorResponse is the awsquery error document (behaviour §1.3).
type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// TestConformanceUnsigned pins that an unsigned request to a signed
// operation is MissingAuthenticationToken 403 from a Sender fault, in
// lenient mode too (behaviour §1.3, §10; AWS's message text is unverified, and
// fakests' choice, "Request is missing Authentication Token", is pinned).
func TestConformanceUnsigned(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []Option
	}{{"lenient", nil}, {"strict", []Option{Strict()}}} {
		e, _ := newTestEngine(t, mode.opts...)
		srv := httptest.NewServer(e.Handler())
		for _, body := range []string{
			"Action=GetCallerIdentity&Version=2011-06-15",
			"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FX&RoleSessionName=anon",
			"Action=GetSessionToken&Version=2011-06-15",
		} {
			t.Run(mode.name+": "+body, func(t *testing.T) {
				resp, err := http.Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				var got errorResponse
				if err := xml.Unmarshal(raw, &got); err != nil {
					t.Fatalf("%v in %s", err, raw)
				}
				if got.RequestID == "" {
					t.Errorf("no RequestId in\n%s", raw)
				}
				type answer struct {
					Status              int
					Type, Code, Message string
				}
				want := answer{403, "Sender", "MissingAuthenticationToken", "Request is missing Authentication Token"}
				if diff := cmp.Diff(want, answer{resp.StatusCode, got.Type, got.Code, got.Message}); diff != "" {
					t.Errorf("(-want +got):\n%s\n%s", diff, raw)
				}
			})
		}
		t.Run(mode.name+": a real client over HTTP through the Handler is authenticated", func(t *testing.T) {
			u := mustUser(t, e, UserSpec{Name: "Http"})
			c := sts.NewFromConfig(aws.Config{Region: e.Region(), BaseEndpoint: aws.String(srv.URL),
				Credentials: credentials.NewStaticCredentialsProvider(u.Credentials.AccessKeyID, u.Credentials.SecretAccessKey, "")})
			arn, err := callerOf(context.Background(), c)
			if err != nil || arn != "arn:aws:iam::123456789012:user/Http" {
				t.Errorf("GetCallerIdentity over HTTP = %s, %v", arn, err)
			}
		})
		srv.Close()
	}
}
