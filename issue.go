package fakests

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/session"
)

// Token payload sizes by operation, in bytes before base64: chosen so the
// tokens are as long as AWS's typically are (hundreds of characters; role
// sessions longer than GetSessionToken's). Packed session policies and tags
// add to them (facts §2.3, §6).
const (
	payloadSessionToken    = 230
	payloadFederationToken = 330
	payloadRoleSession     = 560
)

// issued is a minted set of temporary credentials.
type issued struct {
	creds     *types.Credentials
	tokenSize int32
	tokenUtil int32
}

// issue mints temporary credentials for info, valid for d from now, and
// stores the session. payload is the token body size; minSize is the
// request's MinimumSessionTokenSize.
func (e *Engine) issue(op string, info *sessionInfo, now time.Time, d time.Duration, payload int, minSize *int32) (*issued, error) {
	r := e.random()
	keyID, err := session.NewAccessKeyID(session.PrefixTemporaryKey, info.account, r)
	if err != nil {
		return nil, newError(op, codeInternalFailure, err.Error())
	}
	secret, err := session.NewSecretAccessKey(r)
	if err != nil {
		return nil, newError(op, codeInternalFailure, err.Error())
	}
	spec := session.TokenSpec{Payload: payload}
	if minSize != nil {
		spec.MinimumSize = int(*minSize)
	}
	token, err := session.NewSessionToken(spec, r)
	if err != nil {
		return nil, newError(op, codeInternalFailure, err.Error())
	}
	exp := now.Add(d).UTC().Truncate(time.Second)
	e.sessions.Put(&session.Session[*sessionInfo]{
		AccessKeyID: keyID, SecretAccessKey: secret, TokenDigest: session.DigestOf(token),
		IssuedAt: now, Expiration: exp, Value: info,
	})
	return &issued{
		creds:     &types.Credentials{AccessKeyId: aws.String(keyID), SecretAccessKey: aws.String(secret), SessionToken: aws.String(token), Expiration: aws.Time(exp)},
		tokenSize: int32(len(token)),
		tokenUtil: int32(session.Utilization(len(token))),
	}, nil
}

// seconds returns DurationSeconds or a default, as a duration.
func seconds(p *int32, def int) time.Duration {
	if p == nil {
		return time.Duration(def) * time.Second
	}
	return time.Duration(*p) * time.Second
}
