package fakests

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestConformanceWebIdentityStrictClaims pins two choices of behaviour
// §11.3 on both paths: a date claim outside years 1 to 9999 is refused
// (time.Time cannot hold it faithfully: 2^63-1 seconds wrapped to a past
// date), and a token whose payload is not UTF-8 is not a valid JWT. Both
// texts are fakests' own.
func TestConformanceWebIdentityStrictClaims(t *testing.T) {
	notJWT := &wantErr{"InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)", 400}
	outOfRange := func(claim string) *wantErr {
		return &wantErr{"InvalidIdentityToken", "Invalid claim " + claim + ": must be an integer from -62135596800 to 253402300799", 400}
	}
	rows := []webRow{
		{name: "exp 2^63-1", want: outOfRange("exp"), typed: isInvalidToken,
			setup: func(_ *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				return webIn(w.deploy.ARN, w.token(map[string]any{"exp": int64(math.MaxInt64)}))
			}},
		{name: "exp in year 10000", want: outOfRange("exp"), typed: isInvalidToken,
			setup: func(_ *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				return webIn(w.deploy.ARN, w.token(map[string]any{"exp": int64(253402300800)}))
			}},
		{name: "iat -2^63", want: outOfRange("iat"), typed: isInvalidToken,
			setup: func(_ *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				return webIn(w.deploy.ARN, w.token(map[string]any{"iat": int64(math.MinInt64)}))
			}},
		{name: "invalid UTF-8 in sub", want: notJWT, typed: isInvalidToken,
			setup: func(_ *testing.T, w *oidcWorld) *sts.AssumeRoleWithWebIdentityInput {
				now := w.clk.Now().Unix()
				payload := `{"iss":"` + ghIssuerURL + `","sub":"repo:o/r:ref:refs/heads/main` + "\xff" +
					`","aud":"sts.amazonaws.com","iat":` + strconv.FormatInt(now, 10) + `,"exp":` + strconv.FormatInt(now+3600, 10) + `}`
				return webIn(w.deploy.ARN, w.iss.Sign([]byte(payload)))
			}},
	}
	for _, row := range rows {
		for _, p := range paths(nil) {
			t.Run(strings.ReplaceAll(row.name, " ", "_")+"/"+p.name, func(t *testing.T) {
				w := newOIDCWorld(t, Strict())
				api, ctx := paths(w.e).byName(p.name).unsigned()
				_, err := api.AssumeRoleWithWebIdentity(ctx, row.setup(t, w))
				checkErr(t, err, row.want)
				if !row.typed(err) {
					t.Errorf("error %T is not the modelled exception", err)
				}
			})
		}
	}
}
