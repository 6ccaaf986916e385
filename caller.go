package fakests

import (
	"context"
	"crypto/subtle"
	"strings"

	"github.com/fakests/fakests/tags"
)

// This file authenticates callers: it turns an access key (and session
// token) into a Principal, for both the typed methods (WithCaller) and the
// wire (after the SigV4 check).

// msgSignatureDoesNotMatch is the SignatureDoesNotMatch text of facts §10,
// used by the typed path when WithCaller carries a wrong secret.
const msgSignatureDoesNotMatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// lookupKey resolves an access key ID and session token to the principal
// they belong to and the secret the request must have been signed with. In
// lenient mode an unknown key resolves to the default user with an empty
// secret (no signature check). Expiry is checked by the caller.
func (e *Engine) lookupKey(op, keyID, token string) (*Principal, string, error) {
	e.mu.RLock()
	key := e.keys[keyID]
	e.mu.RUnlock()
	if key != nil {
		if token != "" {
			return nil, "", newError(op, codeInvalidClientTokenID, msgInvalidClientTokenID)
		}
		if key.user == nil {
			return e.rootPrincipal(key.account, keyID), key.secret, nil
		}
		return e.userPrincipal(key.user, keyID), key.secret, nil
	}
	if sess, ok := e.sessions.Get(keyID); ok {
		if token == "" || !sess.TokenMatches(token) {
			return nil, "", newError(op, codeInvalidClientTokenID, msgInvalidClientTokenID)
		}
		if sess.Expired(e.now()) {
			return nil, "", newError(op, codeExpiredToken, msgExpiredToken)
		}
		s := &sess.Value
		p := &Principal{
			Type: s.typ, Account: s.account, ARN: s.arn, UserID: s.userID,
			AccessKeyID: keyID, Temporary: true, SessionName: s.sessionName,
			SourceIdentity: s.sourceIdentity, IssuedAt: sess.IssuedAt, Expiration: sess.Expiration,
			user: s.user, role: s.role, sess: s,
		}
		switch {
		case s.role != nil:
			p.RoleARN = s.role.arn
			p.Tags = tags.Overlay(s.role.tags, s.tags)
		case s.user != nil:
			p.Tags = tags.Overlay(s.user.tags, s.tags)
		}
		return p, sess.SecretAccessKey, nil
	}
	if e.strict {
		return nil, "", newError(op, codeInvalidClientTokenID, msgInvalidClientTokenID)
	}
	p := e.userPrincipal(e.defaultUser, keyID)
	return p, "", nil
}

// rootPrincipal describes an account root calling with its long-term key.
func (e *Engine) rootPrincipal(acct, keyID string) *Principal {
	return &Principal{Type: Root, Account: acct, ARN: "arn:aws:iam::" + acct + ":root", UserID: acct, AccessKeyID: keyID}
}

// userPrincipal describes an IAM user calling with its long-term key.
func (e *Engine) userPrincipal(u *user, keyID string) *Principal {
	return &Principal{Type: IAMUser, Account: u.account, ARN: u.arn, UserID: u.id, AccessKeyID: keyID,
		SessionName: u.name, Tags: u.tags, user: u}
}

// caller returns who makes a typed call: the principal the wire layer
// authenticated, the holder of WithCaller's credentials, or the default user.
func (e *Engine) caller(ctx context.Context, op string) (*Principal, error) {
	if p, ok := ctx.Value(principalKey{}).(*Principal); ok {
		return p, nil
	}
	creds, ok := callerCreds(ctx)
	if !ok {
		return e.userPrincipal(e.defaultUser, e.defaultUser.key.id), nil
	}
	p, secret, err := e.lookupKey(op, strings.TrimSpace(creds.AccessKeyID), creds.SessionToken)
	if err != nil {
		return nil, err
	}
	if secret != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(creds.SecretAccessKey)) != 1 {
		return nil, newError(op, codeSignatureDoesNotMatch, msgSignatureDoesNotMatch)
	}
	return p, nil
}
