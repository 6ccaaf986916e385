package fakests

import (
	"io"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/session"
)

// This file stores an issued session: the one change every credential-
// issuing call makes, on the hot path.

// storeSession uses up the MFA code mfa stands for (nil: none), stores the
// session and writes its change record, as one change (changelog.go). A
// session never takes the key ID of another: on a collision the ID is
// drawn again from r. On failure nothing is left: the code stays unused,
// the session unstored.
func (e *Engine) storeSession(stored *session.Session[sessionInfo], mfa *mfaClaim, r io.Reader) error {
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	if err := e.claimMFA(mfa); err != nil {
		return err
	}
	for draws := 1; !e.sessions.Insert(stored); draws++ {
		if draws == maxKeyDraws {
			e.releaseMFA(mfa)
			return errorf(apierror.CodeInternalFailure, msgNoUnusedKeyID, maxKeyDraws)
		}
		id, err := session.NewAccessKeyID(session.PrefixTemporaryKey, stored.Value.account, r)
		if err != nil {
			e.releaseMFA(mfa)
			return newError(apierror.CodeInternalFailure, err.Error())
		}
		stored.AccessKeyID = id
	}
	if !e.clog.on.Load() {
		return nil
	}
	err := e.logChange(func(c *changeRecord) {
		c.Put = &entities{Sessions: []sessionJSON{sessionToJSON(stored)}}
		if mfa != nil {
			c.MFAUsed = []mfaUseJSON{{SerialNumber: mfa.dev.serial, Step: mfa.step, CurrentStep: mfa.cur}}
		}
	})
	if err != nil {
		e.sessions.Delete(stored)
		e.releaseMFA(mfa)
		return newError(apierror.CodeInternalFailure, err.Error())
	}
	return nil
}
