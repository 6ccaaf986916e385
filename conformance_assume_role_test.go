package fakests

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// issueCall calls one credential-issuing operation and returns the
// credentials' Expiration.
type issueCall func(ctx context.Context, api stsAPI) (time.Time, error)

func callAssume(roleARN, sess string, d *int32) issueCall {
	return func(ctx context.Context, api stsAPI) (time.Time, error) {
		out, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String(sess), DurationSeconds: d})
		if err != nil {
			return time.Time{}, err
		}
		return aws.ToTime(out.Credentials.Expiration), nil
	}
}

func callGST(d *int32) issueCall {
	return func(ctx context.Context, api stsAPI) (time.Time, error) {
		out, err := api.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: d})
		if err != nil {
			return time.Time{}, err
		}
		return aws.ToTime(out.Credentials.Expiration), nil
	}
}

func callGFT(name string, d *int32) issueCall {
	return func(ctx context.Context, api stsAPI) (time.Time, error) {
		out, err := api.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String(name), DurationSeconds: d})
		if err != nil {
			return time.Time{}, err
		}
		return aws.ToTime(out.Credentials.Expiration), nil
	}
}

// issueRow is one conformance row for a credential-issuing call: who calls,
// what, and either the session length or the error AWS gives.
type issueRow struct {
	name  string // the AWS behaviour pinned
	creds aws.Credentials
	call  issueCall
	d     time.Duration // the expected session length when want is nil
	want  *wantErr
}

func runIssueRows(t *testing.T, w *world, rows []issueRow) {
	t.Helper()
	for _, row := range rows {
		for _, p := range paths(w.e) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(row.creds)
				exp, err := row.call(ctx, api)
				checkErr(t, err, row.want)
				if row.want == nil && err == nil {
					if diff := cmp.Diff(w.e.Now().Add(row.d), exp); diff != "" {
						t.Errorf("Expiration (-want +got):\n%s", diff)
					}
				}
			})
		}
	}
}

// TestConformanceDurations pins the session lengths of behaviour §5.
func TestConformanceDurations(t *testing.T) {
	w := newWorld(t)
	bob := w.bob.Credentials
	chain := w.roleSession(t, bob, w.long, "first")
	runIssueRows(t, w, []issueRow{
		{"AssumeRole defaults to one hour", bob, callAssume(w.long.ARN, "d1", nil), time.Hour, nil},
		{"AssumeRole above the role's MaxSessionDuration is a ValidationError", bob, callAssume(w.cross.ARN, "d2", aws.Int32(7200)), 0,
			&wantErr{"ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400}},
		{"AssumeRole of a 12-hour role accepts 43200", bob, callAssume(w.long.ARN, "d3", aws.Int32(43200)), 12 * time.Hour, nil},
		{"AssumeRole accepts the minimum 900", bob, callAssume(w.long.ARN, "d4", aws.Int32(900)), 900 * time.Second, nil},
		{"role chaining above one hour is refused even when the role allows 12 hours", chain, callAssume(w.next.ARN, "c1", aws.Int32(3601)), 0,
			&wantErr{"ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", 400}},
		{"role chaining without DurationSeconds gets one hour", chain, callAssume(w.next.ARN, "c2", nil), time.Hour, nil},
		{"role chaining with exactly 3600 is fine", chain, callAssume(w.next.ARN, "c3", aws.Int32(3600)), time.Hour, nil},
		{"GetSessionToken for a user defaults to 12 hours", bob, callGST(nil), 12 * time.Hour, nil},
		{"GetSessionToken for a user accepts 129600 (36 hours)", bob, callGST(aws.Int32(129600)), 36 * time.Hour, nil},
		{"GetSessionToken for root defaults to one hour", w.root, callGST(nil), time.Hour, nil},
		{"GetSessionToken for root silently reduces 7200 to one hour", w.root, callGST(aws.Int32(7200)), time.Hour, nil},
		{"GetSessionToken for root keeps 900", w.root, callGST(aws.Int32(900)), 900 * time.Second, nil},
		{"GetFederationToken defaults to 12 hours", bob, callGFT("Fed1", nil), 12 * time.Hour, nil},
		{"GetFederationToken accepts 129600 (36 hours)", bob, callGFT("Fed2", aws.Int32(129600)), 36 * time.Hour, nil},
		{"GetFederationToken for root is at most one hour by default", w.root, callGFT("Fed3", nil), time.Hour, nil},
		{"GetFederationToken for root silently reduces 7200 to one hour", w.root, callGFT("Fed4", aws.Int32(7200)), time.Hour, nil},
	})
}

// TestConformanceWhoMayCall pins which credentials may call which issuing
// operation (behaviour §10, §11.1, §11.9, §11.10).
func TestConformanceWhoMayCall(t *testing.T) {
	w := newWorld(t)
	bob := w.bob.Credentials
	roleSess := w.roleSession(t, bob, w.long, "rs")
	gst := w.sessionToken(t, bob)
	fed := w.federation(t, bob, "Carol")
	gstDenied := &wantErr{"AccessDenied", "Cannot call GetSessionToken with session credentials", 403}
	gftDenied := &wantErr{"AccessDenied", "Cannot call GetFederationToken with session credentials", 403}
	runIssueRows(t, w, []issueRow{
		{"root may not assume roles", w.root, callAssume(w.long.ARN, "r1", nil), 0,
			&wantErr{"AccessDenied", "Roles may not be assumed by root accounts.", 403}},
		{"root may call GetSessionToken", w.root, callGST(nil), time.Hour, nil},
		{"root may call GetFederationToken", w.root, callGFT("RootFed", nil), time.Hour, nil},
		{"a role session may not call GetSessionToken", roleSess, callGST(nil), 0, gstDenied},
		{"a role session may not call GetFederationToken", roleSess, callGFT("X1", nil), 0, gftDenied},
		{"a GetSessionToken session may not call GetSessionToken", gst, callGST(nil), 0, gstDenied},
		{"a GetSessionToken session may not call GetFederationToken", gst, callGFT("X2", nil), 0, gftDenied},
		{"a federated user may not call GetSessionToken", fed, callGST(nil), 0, gstDenied},
		{"a federated user may not call GetFederationToken", fed, callGFT("X3", nil), 0, gftDenied},
		{"a federated user may not assume roles", fed, callAssume(w.long.ARN, "f1", nil), 0,
			&wantErr{"AccessDenied", "User: arn:aws:sts::123456789012:federated-user/Carol is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Long", 403}},
		{"a GetSessionToken session may assume roles", gst, callAssume(w.long.ARN, "g1", nil), time.Hour, nil},
		{"a role session may assume roles (chaining)", roleSess, callAssume(w.next.ARN, "rs2", nil), time.Hour, nil},
	})

	for _, p := range paths(w.e) {
		t.Run("a GetSessionToken session's role session is named after the role/"+p.name, func(t *testing.T) {
			api, ctx := p.api(gst)
			out, err := api.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.long.ARN), RoleSessionName: aws.String("via-gst")})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::123456789012:assumed-role/Long/via-gst"; got != want {
				t.Errorf("Arn = %s, want %s", got, want)
			}
		})
	}
}
