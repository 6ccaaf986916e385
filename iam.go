package fakests

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/arn"
	"github.com/fakests/fakests/internal/session"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// This file is the identity model: accounts, IAM users and roles, managed
// policies, long-term keys and virtual MFA devices, and the lookups the
// operations make in it (findRole). Its exported methods are administration,
// not an AWS API: they need no caller and check no permissions, so tests can
// set up state without the wire. Their errors are plain Go errors.

// account holds the IAM entities of one AWS account.
type account struct {
	id       string
	rootKey  *longTermKey
	users    map[string]*user          // by lower-cased name (IAM names are unique ignoring case)
	roles    map[string]*role          // by lower-cased name
	implicit map[string]*role          // lenient mode's roles that were never created, by exact name
	policies map[string]*policy.Policy // managed policies by ARN
	mfa      map[string]*mfaDevice     // by serial number
}

// user is an IAM user.
type user struct {
	account, path, name, arn, id string
	inline                       []*policy.Policy
	managed                      []string // managed policy ARNs
	tags                         []tags.Tag
	key                          *longTermKey
	mfa                          []*mfaDevice
}

// role is an IAM role.
type role struct {
	account, path, name, arn, id string
	trust                        *policy.Policy // nil only for lenient mode's implicit roles: trusts every caller
	inline                       []*policy.Policy
	managed                      []string
	maxSession                   time.Duration
	tags                         []tags.Tag
}

// longTermKey is an AKIA access key of a user or of an account root.
type longTermKey struct {
	id, secret string
	account    string
	user       *user // nil for the account root
}

// UserSpec describes an IAM user for CreateUser.
type UserSpec struct {
	Account           string            // default: the engine's account
	Path              string            // default "/"; must start and end with "/"
	Name              string            // required: 1–64 characters of [\w+=,.@-]
	Policies          []string          // inline identity policy documents
	ManagedPolicyARNs []string          // managed policies (CreateManagedPolicy) attached to the user
	Tags              map[string]string // the user's tags (aws:PrincipalTag/* of its sessions)
}

// User is an IAM user as created, with its long-term access key.
type User struct {
	ARN         string          // arn:aws:iam::ACCOUNT:user/PATHNAME
	UserID      string          // AIDA…, 21 characters
	Account     string          // 12 digits
	Path, Name  string          // as created
	Credentials aws.Credentials // the user's AKIA access key
}

// RoleSpec describes an IAM role for CreateRole.
type RoleSpec struct {
	Account string // default: the engine's account
	Path    string // default "/"
	Name    string // required: 1–64 characters of [\w+=,.@-]
	// TrustPolicy is the role's trust (assume-role) policy. Empty means a
	// policy that trusts the role's own account, so that callers in it need
	// an identity policy that allows sts:AssumeRole, as in IAM.
	TrustPolicy        string
	Policies           []string      // inline identity policies of the role's sessions
	ManagedPolicyARNs  []string      // managed policies attached to the role
	MaxSessionDuration time.Duration // 1–12 hours; default one hour
	Tags               map[string]string
}

// Role is an IAM role as created.
type Role struct {
	ARN                string // arn:aws:iam::ACCOUNT:role/PATHNAME
	RoleID             string // AROA…, 21 characters
	Account            string
	Path, Name         string
	MaxSessionDuration time.Duration
}

var (
	pathRE = regexp.MustCompile(`^/([\x21-\x7E]*/)?$`)
)

// accountLocked returns the account, creating it. e.mu must be held for writing.
func (e *Engine) accountLocked(id string) *account {
	a := e.accounts[id]
	if a == nil {
		a = &account{
			id:       id,
			users:    make(map[string]*user),
			roles:    make(map[string]*role),
			implicit: make(map[string]*role),
			policies: make(map[string]*policy.Policy),
			mfa:      make(map[string]*mfaDevice),
		}
		e.accounts[id] = a
	}
	return a
}

// checkEntity validates the account, path and name shared by users and roles,
// filling in defaults.
func (e *Engine) checkEntity(acct, path, name *string) error {
	if *acct == "" {
		*acct = e.account
	}
	if *path == "" {
		*path = "/"
	}
	if !isAccountID(*acct) {
		return fmt.Errorf("fakests: account %q is not 12 digits", *acct)
	}
	if !pathRE.MatchString(*path) || len(*path) > 512 {
		return fmt.Errorf("fakests: path %q must start and end with /", *path)
	}
	if !isEntityName(*name) {
		return fmt.Errorf("fakests: name %q must be 1-64 characters of [\\w+=,.@-]", *name)
	}
	return nil
}

// parsePolicies parses identity policy documents.
func parsePolicies(docs []string, label string) ([]*policy.Policy, error) {
	out := make([]*policy.Policy, 0, len(docs))
	for i, d := range docs {
		p, err := parsePolicyDoc(d, policy.Identity, fmt.Sprintf("%s policy %d", label, i+1))
		if err != nil {
			return nil, err
		}
		p.Name = fmt.Sprintf("%s-inline-%d", label, i+1)
		out = append(out, p)
	}
	return out, nil
}

// CreateUser creates an IAM user with a long-term access key.
func (e *Engine) CreateUser(spec UserSpec) (*User, error) {
	u, err := e.createUser(spec)
	if err != nil {
		return nil, err
	}
	return u.public(), nil
}

func (e *Engine) createUser(spec UserSpec) (*user, error) {
	if err := e.checkEntity(&spec.Account, &spec.Path, &spec.Name); err != nil {
		return nil, err
	}
	inline, err := parsePolicies(spec.Policies, "user/"+spec.Name)
	if err != nil {
		return nil, err
	}
	u := &user{account: spec.Account, path: spec.Path, name: spec.Name, inline: inline,
		managed: append([]string(nil), spec.ManagedPolicyARNs...), tags: tagsFromMap(spec.Tags)}
	u.arn = arn.IAM(u.account, "user"+u.path+u.name)
	if u.id, err = session.NewUniqueID(session.PrefixUser, u.account, e.random()); err != nil {
		return nil, err
	}
	key, err := e.newLongTermKey(u.account)
	if err != nil {
		return nil, err
	}
	key.user, u.key = u, key

	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accountLocked(u.account)
	if err := e.checkManagedLocked(a, u.managed); err != nil {
		return nil, err
	}
	if a.users[strings.ToLower(u.name)] != nil {
		return nil, fmt.Errorf("fakests: user %s already exists in account %s", u.name, u.account)
	}
	if err := e.registerKeyLocked(key); err != nil {
		return nil, err
	}
	if err := e.logChange(func(c *changeRecord) { c.Put = &entities{Users: []userJSON{userToJSON(u)}} }); err != nil {
		delete(e.keys, key.id)
		return nil, err
	}
	a.users[strings.ToLower(u.name)] = u
	return u, nil
}

func (u *user) public() *User {
	return &User{ARN: u.arn, UserID: u.id, Account: u.account, Path: u.path, Name: u.name,
		Credentials: aws.Credentials{AccessKeyID: u.key.id, SecretAccessKey: u.key.secret, Source: "fakests"}}
}

// newLongTermKey mints an AKIA key of account (not yet registered).
func (e *Engine) newLongTermKey(acct string) (*longTermKey, error) {
	id, err := session.NewAccessKeyID(session.PrefixLongTermKey, acct, e.random())
	if err != nil {
		return nil, err
	}
	secret, err := session.NewSecretAccessKey(e.random())
	if err != nil {
		return nil, err
	}
	return &longTermKey{id: id, secret: secret, account: acct}, nil
}

// registerKeyLocked adds key to the engine's long-term keys, drawing its ID
// again while another key holds it: a key is never replaced (39 random bits
// per account make a collision rare, not impossible). An AKIA key cannot
// collide with a session's ASIA key. e.mu must be held for writing.
func (e *Engine) registerKeyLocked(key *longTermKey) error {
	for draws := 1; e.keys[key.id] != nil; draws++ {
		if draws == maxKeyDraws {
			return fmt.Errorf(msgNoUnusedKeyID, maxKeyDraws)
		}
		id, err := session.NewAccessKeyID(session.PrefixLongTermKey, key.account, e.random())
		if err != nil {
			return err
		}
		key.id = id
	}
	e.keys[key.id] = key
	return nil
}

// CreateRole creates an IAM role.
func (e *Engine) CreateRole(spec RoleSpec) (*Role, error) {
	if err := e.checkEntity(&spec.Account, &spec.Path, &spec.Name); err != nil {
		return nil, err
	}
	if spec.MaxSessionDuration == 0 {
		spec.MaxSessionDuration = time.Hour
	}
	if spec.MaxSessionDuration < time.Hour || spec.MaxSessionDuration > 12*time.Hour {
		return nil, fmt.Errorf("fakests: MaxSessionDuration %v must be between 1h and 12h", spec.MaxSessionDuration)
	}
	trustDoc := spec.TrustPolicy
	if trustDoc == "" {
		trustDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + arn.Root(spec.Account) + `"},"Action":"sts:AssumeRole"}]}`
	}
	what := "trust policy of role " + spec.Name
	trust, err := parsePolicyDoc(trustDoc, policy.Resource, what)
	if err != nil {
		return nil, err
	}
	if err := checkTrustPrincipals(what, trustDoc); err != nil {
		return nil, err
	}
	trust.Name = "role/" + spec.Name + "/trust"
	inline, err := parsePolicies(spec.Policies, "role/"+spec.Name)
	if err != nil {
		return nil, err
	}
	r := &role{account: spec.Account, path: spec.Path, name: spec.Name, trust: trust, inline: inline,
		managed: append([]string(nil), spec.ManagedPolicyARNs...), maxSession: spec.MaxSessionDuration,
		tags: tagsFromMap(spec.Tags)}
	r.arn = arn.IAM(r.account, "role"+r.path+r.name)
	if r.id, err = session.NewUniqueID(session.PrefixRole, r.account, e.random()); err != nil {
		return nil, err
	}

	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accountLocked(r.account)
	if err := e.checkManagedLocked(a, r.managed); err != nil {
		return nil, err
	}
	if a.roles[strings.ToLower(r.name)] != nil {
		return nil, fmt.Errorf("fakests: role %s already exists in account %s", r.name, r.account)
	}
	if err := e.logChange(func(c *changeRecord) { c.Put = &entities{Roles: []roleJSON{roleToJSON(r)}} }); err != nil {
		return nil, err
	}
	a.roles[strings.ToLower(r.name)] = r
	return r.public(), nil
}

func (r *role) public() *Role {
	return &Role{ARN: r.arn, RoleID: r.id, Account: r.account, Path: r.path, Name: r.name, MaxSessionDuration: r.maxSession}
}

// CreateManagedPolicy creates a customer managed policy in account (default:
// the engine's account) and returns its ARN, arn:aws:iam::ACCOUNT:policy/NAME.
// Attach it with UserSpec/RoleSpec.ManagedPolicyARNs or pass it as a session
// policy in PolicyArns.
func (e *Engine) CreateManagedPolicy(acct, name, document string) (string, error) {
	if acct == "" {
		acct = e.account
	}
	path := "/"
	if err := e.checkEntity(&acct, &path, &name); err != nil {
		return "", err
	}
	p, err := parsePolicyDoc(document, policy.Identity, "managed policy "+name)
	if err != nil {
		return "", err
	}
	policyARN := arn.IAM(acct, "policy/"+name)
	p.Name = policyARN
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accountLocked(acct)
	if a.policies[policyARN] != nil {
		return "", fmt.Errorf("fakests: policy %s already exists", policyARN)
	}
	if err := e.logChange(func(c *changeRecord) {
		c.Put = &entities{ManagedPolicies: []managedPolicyJSON{{ARN: policyARN, Document: document, parsed: p}}}
	}); err != nil {
		return "", err
	}
	a.policies[policyARN] = p
	return policyARN, nil
}

// checkManagedLocked reports an error for attached ARNs that do not exist.
func (e *Engine) checkManagedLocked(a *account, arns []string) error {
	for _, policyARN := range arns {
		if e.managedLocked(policyARN) == nil {
			return fmt.Errorf("fakests: managed policy %s does not exist in account %s", policyARN, a.id)
		}
	}
	return nil
}

// managedLocked finds a managed policy by ARN in any account. e.mu must be held.
func (e *Engine) managedLocked(policyARN string) *policy.Policy {
	acct, ok := accountOfPolicyARN(policyARN)
	if !ok {
		return nil
	}
	if a := e.accounts[acct]; a != nil {
		return a.policies[policyARN]
	}
	return nil
}

// accountOfPolicyARN returns the account field of arn:aws:iam::ACCT:policy/….
func accountOfPolicyARN(s string) (string, bool) {
	a, ok := arn.Parse(s)
	if !ok || a.Service != "iam" || !strings.HasPrefix(a.Resource, "policy/") {
		return "", false
	}
	return a.Account, true
}

// RootCredentials returns the long-term access key of an account's root user
// (default: the engine's account), creating it the first time.
func (e *Engine) RootCredentials(acct string) aws.Credentials {
	if acct == "" {
		acct = e.account
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accountLocked(acct)
	if a.rootKey == nil {
		key, err := e.newLongTermKey(acct)
		if err == nil {
			err = e.registerKeyLocked(key)
		}
		if err == nil {
			err = e.logChange(func(c *changeRecord) {
				c.Put = &entities{RootKeys: []rootKeyJSON{{Account: acct, accessKeyJSON: accessKeyJSON{key.id, key.secret}}}}
			})
			if err != nil {
				delete(e.keys, key.id)
			}
		}
		if err != nil {
			panic("fakests: RootCredentials: " + err.Error())
		}
		a.rootKey = key
	}
	return aws.Credentials{AccessKeyID: a.rootKey.id, SecretAccessKey: a.rootKey.secret, Source: "fakests"}
}

// DefaultUser returns the IAM user that unauthenticated typed calls (and, in
// lenient mode, unknown access keys) act as.
func (e *Engine) DefaultUser() *User { return e.defaultUser.Load().public() }

// tagsFromMap turns a tag map into tags sorted by key.
func tagsFromMap(m map[string]string) []tags.Tag {
	if len(m) == 0 {
		return nil
	}
	return tags.FromMap(m)
}

// mfaStep is the TOTP time step (RFC 6238's default).
const mfaStep = 30 * time.Second

// MFADevice is a virtual MFA device bound to an IAM user. It computes the
// same RFC 6238 codes an authenticator app would.
type MFADevice struct {
	// SerialNumber is the device ARN, arn:aws:iam::ACCOUNT:mfa/NAME, to pass
	// as SerialNumber in AssumeRole or GetSessionToken.
	SerialNumber string
	dev          *mfaDevice
}

// Code returns the six-digit code the device shows at t. Pass the engine's
// time (Engine.Now) when the engine has its own clock.
func (m *MFADevice) Code(t time.Time) string {
	return totp(m.dev.secret, uint64(t.Unix())/uint64(mfaStep/time.Second), 6)
}

// mfaDevice is the engine's record of a virtual MFA device.
type mfaDevice struct {
	serial string
	secret []byte
	user   *user
	// used holds the time steps whose codes have issued a session, within
	// reach of the acceptance window; guarded by Engine.mfaMu.
	used map[uint64]struct{}
}

// CreateVirtualMFADevice creates a virtual MFA device named after the user
// and binds it to the user with ARN userARN.
func (e *Engine) CreateVirtualMFADevice(userARN string) (*MFADevice, error) {
	secret := make([]byte, 20)
	if _, err := io.ReadFull(e.random(), secret); err != nil {
		return nil, err
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.userByARNLocked(userARN)
	if u == nil {
		return nil, fmt.Errorf("fakests: no user %s", userARN)
	}
	serial := arn.IAM(u.account, "mfa"+u.path+u.name)
	a := e.accounts[u.account]
	if a.mfa[serial] != nil {
		return nil, fmt.Errorf("fakests: MFA device %s already exists", serial)
	}
	d := &mfaDevice{serial: serial, secret: secret, user: u, used: make(map[uint64]struct{})}
	if err := e.logChange(func(c *changeRecord) { c.Put = &entities{MFADevices: []mfaDeviceJSON{mfaDeviceToJSON(d)}} }); err != nil {
		return nil, err
	}
	a.mfa[serial] = d
	u.mfa = append(u.mfa, d)
	return &MFADevice{SerialNumber: serial, dev: d}, nil
}

// userByARNLocked finds a user by ARN. e.mu must be held.
func (e *Engine) userByARNLocked(userARN string) *user {
	p, ok := arn.Parse(userARN)
	if !ok {
		return nil
	}
	a := e.accounts[p.Account]
	if a == nil {
		return nil
	}
	i := strings.LastIndexByte(p.Resource, '/')
	if i < 0 {
		return nil
	}
	u := a.users[strings.ToLower(p.Resource[i+1:])]
	if u == nil || u.arn != userARN {
		return nil
	}
	return u
}

// mfaWindow is how many 30-second steps either side of the device's time
// STS accepts a code from (behaviour §9).
const mfaWindow = 2

// mfaClaim is an MFA code that checkMFA accepted and that is not yet used
// up: the device and the time step the code belongs to. The session it
// proves uses it up (claimMFA); a request that fails before leaves it
// unused.
type mfaClaim struct {
	dev       *mfaDevice
	step, cur uint64
}

// checkMFA verifies an MFA code for the user behind a call (behaviour §9)
// without using it up. It returns the claim to pass to issue, or the
// AccessDenied error AWS gives. A code is good when it is the code of a
// step within mfaWindow steps of now's and that step's code has not issued
// a session yet: codes may arrive out of order, and each works once.
func (e *Engine) checkMFA(u *user, serial, code string, now time.Time) (*mfaClaim, error) {
	var dev *mfaDevice
	if u != nil {
		e.mu.RLock()
		for _, d := range u.mfa {
			if d.serial == serial {
				dev = d
			}
		}
		e.mu.RUnlock()
	}
	if dev == nil {
		return nil, newError(apierror.CodeAccessDenied, msgMFAUnknownSerial)
	}
	t := now.Unix()
	if t < 0 {
		t = 0
	}
	cur := uint64(t) / uint64(mfaStep/time.Second)
	e.mfaMu.Lock()
	defer e.mfaMu.Unlock()
	// The device's own step first, then outward: two steps of one window
	// share a code about once in a million, and the nearer one wins.
	for _, off := range [...]int64{0, -1, 1, -2, 2} {
		if off < 0 && cur < uint64(-off) {
			continue
		}
		s := uint64(int64(cur) + off)
		if _, used := dev.used[s]; used {
			continue
		}
		if hmac.Equal([]byte(totp(dev.secret, s, 6)), []byte(code)) {
			return &mfaClaim{dev: dev, step: s, cur: cur}, nil
		}
	}
	return nil, newError(apierror.CodeAccessDenied, msgMFAInvalidCode)
}

// claimMFA uses up the code c stands for (nothing when c is nil). When a
// concurrent request used it up since checkMFA, it fails with the reused
// code's error, so that two requests racing with one code issue one
// session. Steps that fell out of every window are forgotten.
func (e *Engine) claimMFA(c *mfaClaim) error {
	if c == nil {
		return nil
	}
	e.mfaMu.Lock()
	defer e.mfaMu.Unlock()
	if _, used := c.dev.used[c.step]; used {
		return newError(apierror.CodeAccessDenied, msgMFAInvalidCode)
	}
	for s := range c.dev.used {
		if s+mfaWindow < c.cur {
			delete(c.dev.used, s)
		}
	}
	c.dev.used[c.step] = struct{}{}
	return nil
}

// releaseMFA undoes claimMFA for a session that could not be stored.
func (e *Engine) releaseMFA(c *mfaClaim) {
	if c == nil {
		return
	}
	e.mfaMu.Lock()
	delete(c.dev.used, c.step)
	e.mfaMu.Unlock()
}

// totp computes an RFC 6238 (HOTP, RFC 4226) code with HMAC-SHA1 for a time
// step counter.
func totp(secret []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for i := 0; i < digits; i++ {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// findRole returns the role an ARN names: a created role (matched with the
// exact case of its name, as AWS does), or in lenient mode an implicit role
// that trusts every caller. It returns nil when there is no such role.
func (e *Engine) findRole(roleARN string) *role {
	p, ok := arn.Parse(roleARN)
	if !ok || p.Service != "iam" || !strings.HasPrefix(p.Resource, "role/") || !isAccountID(p.Account) {
		return nil
	}
	acct, res := p.Account, p.Resource
	name := res[strings.LastIndexByte(res, '/')+1:]
	e.mu.RLock()
	if a := e.accounts[acct]; a != nil {
		if r := a.roles[strings.ToLower(name)]; r != nil {
			e.mu.RUnlock()
			if r.arn == roleARN {
				return r
			}
			return nil
		}
		if r := a.implicit[roleARN]; r != nil {
			e.mu.RUnlock()
			return r
		}
	}
	e.mu.RUnlock()
	if e.strict || !isEntityName(name) {
		return nil
	}
	return e.implicitRole(acct, res, roleARN)
}

// implicitRole returns lenient mode's stand-in for a role that was never
// created: the one kept for roleARN when a session of it was issued, or a
// new one that keepImplicitRole keeps once a session of it is issued, so
// that a failed request leaves no role behind (behaviour §11.1).
func (e *Engine) implicitRole(acct, res, roleARN string) *role {
	id, err := session.NewUniqueID(session.PrefixRole, acct, e.random())
	if err != nil {
		return nil
	}
	i := strings.LastIndexByte(res, '/')
	path := res[len("role") : i+1]
	return &role{account: acct, path: path, name: res[i+1:], arn: roleARN, id: id, maxSession: time.Hour}
}

// keepImplicitRole keeps r when it is an implicit role not kept yet, so its
// role ID stays the same for later sessions, and returns the role to issue
// the session for (the one kept first when two requests race) and an undo
// for a session that then fails to issue. Created roles are returned as
// they are. Keeping a role and undoing it are changes of their own, each
// with its change record (changelog.go).
func (e *Engine) keepImplicitRole(r *role) (*role, func(), error) {
	if r.trust != nil {
		return r, func() {}, nil
	}
	e.stateMu.RLock()
	defer e.stateMu.RUnlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	_, hadAccount := e.accounts[r.account]
	a := e.accountLocked(r.account)
	if old := a.implicit[r.arn]; old != nil {
		return old, func() {}, nil
	}
	if err := e.logChange(func(c *changeRecord) { c.Put = &entities{Roles: []roleJSON{roleToJSON(r)}} }); err != nil {
		if !hadAccount && a.empty() {
			delete(e.accounts, r.account)
		}
		return nil, nil, newError(apierror.CodeInternalFailure, err.Error())
	}
	a.implicit[r.arn] = r
	return r, func() {
		e.stateMu.RLock()
		defer e.stateMu.RUnlock()
		e.mu.Lock()
		defer e.mu.Unlock()
		if a.implicit[r.arn] != r {
			return
		}
		// The engine refuses changes once its log failed; taking back a
		// role nobody holds a session of is no reason to refuse it.
		e.logChange(func(c *changeRecord) { c.Delete = &deletions{Roles: []string{r.id}} })
		delete(a.implicit, r.arn)
		if !hadAccount && a.empty() && e.accounts[r.account] == a {
			delete(e.accounts, r.account)
		}
	}, nil
}

// empty reports whether a holds nothing at all.
func (a *account) empty() bool {
	return a.rootKey == nil && len(a.users) == 0 && len(a.roles) == 0 && len(a.implicit) == 0 &&
		len(a.policies) == 0 && len(a.mfa) == 0
}
