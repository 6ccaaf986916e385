package fakests

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
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
