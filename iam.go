package fakests

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"slices"
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

// account holds the IAM entities of one AWS account. Every field, and every
// field of the entities it holds, is guarded by Engine.mu: plain data that
// readers take under the read lock.
type account struct {
	id       string
	created  time.Time // when the engine first held anything of the account
	rootKey  *longTermKey
	users    map[string]*user          // by lower-cased name (IAM names are unique ignoring case)
	roles    map[string]*role          // by lower-cased name
	implicit map[string]*role          // lenient mode's roles that were never created, by exact name
	policies map[string]*managedPolicy // managed policies by ARN
	mfa      map[string]*mfaDevice     // by serial number
	// deletedRoles holds the ARNs of roles deleted with DeleteRole, which
	// lenient mode must not stand in for with an implicit role: AWS refuses
	// them (behaviour §18). A role created again under the ARN leaves it.
	deletedRoles map[string]struct{}
}

// user is an IAM user.
type user struct {
	account, path, name, arn, id string
	created                      time.Time
	inline                       []*inlinePolicy
	managed                      []string // managed policy ARNs
	tags                         []tags.Tag
	// key is the key CreateUser made for User.Credentials (nil for users
	// created over the wire); keys are the user's current keys, at most
	// two (behaviour §18), key among them until it is deleted.
	key  *longTermKey
	keys []*longTermKey
	mfa  []*mfaDevice
}

// role is an IAM role.
type role struct {
	account, path, name, arn, id string
	created                      time.Time
	description                  *string
	trust                        *policy.Policy // nil only for lenient mode's implicit roles: trusts every caller
	trustDoc                     string         // the trust policy as given
	inline                       []*inlinePolicy
	managed                      []string
	maxSession                   time.Duration
	tags                         []tags.Tag
}

// inlinePolicy is an inline policy of a user or role: its IAM name, the
// document as given, and the parsed policy.
type inlinePolicy struct {
	name, doc string
	parsed    *policy.Policy
}

// longTermKey is an AKIA access key of a user or of an account root.
type longTermKey struct {
	id, secret string
	account    string
	user       *user // nil for the account root
	created    time.Time
	// inactive is UpdateAccessKey's Inactive status; deleted marks a key
	// DeleteAccessKey removed, kept in Engine.keys so that it is refused
	// (InvalidClientTokenId), not taken for an unknown key that lenient mode
	// lets act as the default user (behaviour §18).
	inactive, deleted bool
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

// pathRE is IAM's pathType: "/" or "/…/" with at least one character of
// U+0021–U+007E between (botocore's IAM model; a stackd capture shows "//"
// refused and "/a//b/" accepted, behaviour §18).
var pathRE = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)

// accountLocked returns the account, creating it. e.mu must be held for writing.
func (e *Engine) accountLocked(id string) *account {
	a := e.accounts[id]
	if a == nil {
		a = &account{
			id:           id,
			created:      e.now(),
			users:        make(map[string]*user),
			roles:        make(map[string]*role),
			implicit:     make(map[string]*role),
			policies:     make(map[string]*managedPolicy),
			mfa:          make(map[string]*mfaDevice),
			deletedRoles: make(map[string]struct{}),
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

// parsePolicies parses the unnamed inline policies of a UserSpec or
// RoleSpec; they are named inline-1, inline-2, ... in IAM.
func parsePolicies(docs []string, label string) ([]*inlinePolicy, error) {
	out := make([]*inlinePolicy, 0, len(docs))
	for i, d := range docs {
		p, err := parsePolicyDoc(d, policy.Identity, fmt.Sprintf("%s policy %d", label, i+1))
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("inline-%d", i+1)
		p.Name = inlineLabel(label, name)
		out = append(out, &inlinePolicy{name: name, doc: d, parsed: p})
	}
	return out, nil
}

// inlineLabel names an inline policy in Decision reasons:
// "user/alice-inline-1", "role/app-MyPolicy".
func inlineLabel(owner, name string) string { return owner + "-" + name }

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
	u, err := e.newUser(spec.Account, spec.Path, spec.Name, tagsFromMap(spec.Tags))
	if err != nil {
		return nil, err
	}
	u.inline, u.managed = inline, append([]string(nil), spec.ManagedPolicyARNs...)
	key, err := e.newLongTermKey(u.account)
	if err != nil {
		return nil, err
	}
	key.user, u.key, u.keys = u, key, []*longTermKey{key}

	err = e.changeIAM(func(c *iamChange) error {
		a := c.accountOf(u.account)
		if err := e.checkManagedLocked(a, u.managed); err != nil {
			return err
		}
		if a.users[strings.ToLower(u.name)] != nil {
			return fmt.Errorf("fakests: user %s already exists in account %s", u.name, u.account)
		}
		if err := c.registerKey(key); err != nil {
			return err
		}
		c.user(u)
		setIn(c, a.users, strings.ToLower(u.name), u)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// newUser returns a user (not yet added to its account) with its ARN,
// unique ID and creation time on the engine clock.
func (e *Engine) newUser(acct, path, name string, ts []tags.Tag) (*user, error) {
	u := &user{account: acct, path: path, name: name, tags: ts, created: e.now()}
	u.arn = arn.IAM(acct, "user"+path+name)
	var err error
	if u.id, err = session.NewUniqueID(session.PrefixUser, acct, e.random()); err != nil {
		return nil, err
	}
	return u, nil
}

func (u *user) public() *User {
	out := &User{ARN: u.arn, UserID: u.id, Account: u.account, Path: u.path, Name: u.name}
	if u.key != nil {
		out.Credentials = aws.Credentials{AccessKeyID: u.key.id, SecretAccessKey: u.key.secret, Source: "fakests"}
	}
	return out
}

// newLongTermKey mints an AKIA key of account (not yet registered), created
// now on the engine clock.
func (e *Engine) newLongTermKey(acct string) (*longTermKey, error) {
	id, err := session.NewAccessKeyID(session.PrefixLongTermKey, acct, e.random())
	if err != nil {
		return nil, err
	}
	secret, err := session.NewSecretAccessKey(e.random())
	if err != nil {
		return nil, err
	}
	return &longTermKey{id: id, secret: secret, account: acct, created: e.now()}, nil
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
	trust, err := parseTrustPolicy(spec.Name, trustDoc)
	if err != nil {
		return nil, err
	}
	inline, err := parsePolicies(spec.Policies, "role/"+spec.Name)
	if err != nil {
		return nil, err
	}
	r, err := e.newRole(spec.Account, spec.Path, spec.Name, trustDoc, trust, tagsFromMap(spec.Tags))
	if err != nil {
		return nil, err
	}
	r.inline, r.managed, r.maxSession = inline, append([]string(nil), spec.ManagedPolicyARNs...), spec.MaxSessionDuration

	err = e.changeIAM(func(c *iamChange) error {
		a := c.accountOf(r.account)
		if err := e.checkManagedLocked(a, r.managed); err != nil {
			return err
		}
		if a.roles[strings.ToLower(r.name)] != nil {
			return fmt.Errorf("fakests: role %s already exists in account %s", r.name, r.account)
		}
		c.addRole(a, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.public(), nil
}

// parseTrustPolicy parses the trust policy of role name, with IAM's checks
// of its principals (behaviour §18).
func parseTrustPolicy(name, doc string) (*policy.Policy, error) {
	what := "trust policy of role " + name
	trust, err := parsePolicyDoc(doc, policy.Resource, what)
	if err != nil {
		return nil, err
	}
	if err := checkTrustPrincipals(what, doc); err != nil {
		return nil, err
	}
	trust.Name = "role/" + name + "/trust"
	return trust, nil
}

// newRole returns a role (not yet added to its account) with its ARN,
// unique ID, creation time on the engine clock and the default one-hour
// MaxSessionDuration.
func (e *Engine) newRole(acct, path, name, trustDoc string, trust *policy.Policy, ts []tags.Tag) (*role, error) {
	r := &role{account: acct, path: path, name: name, trust: trust, trustDoc: trustDoc,
		maxSession: time.Hour, tags: ts, created: e.now()}
	r.arn = arn.IAM(acct, "role"+path+name)
	var err error
	if r.id, err = session.NewUniqueID(session.PrefixRole, acct, e.random()); err != nil {
		return nil, err
	}
	return r, nil
}

// addRole adds r to a: it is no longer a deleted role, and lenient mode's
// stand-in for its ARN, if any, gives way to it.
func (c *iamChange) addRole(a *account, r *role) {
	c.account(a)
	c.role(r)
	setIn(c, a.roles, strings.ToLower(r.name), r)
	delete(a.deletedRoles, r.arn)
}

func (r *role) public() *Role {
	return &Role{ARN: r.arn, RoleID: r.id, Account: r.account, Path: r.path, Name: r.name, MaxSessionDuration: r.maxSession}
}

// CreateManagedPolicy creates a customer managed policy in account (default:
// the engine's account) and returns its ARN, arn:aws:iam::ACCOUNT:policy/NAME.
// Attach it with UserSpec/RoleSpec.ManagedPolicyARNs or pass it as a session
// policy in PolicyArns. Its document is version v1, the default.
func (e *Engine) CreateManagedPolicy(acct, name, document string) (string, error) {
	if acct == "" {
		acct = e.account
	}
	path := "/"
	if err := e.checkEntity(&acct, &path, &name); err != nil {
		return "", err
	}
	return e.addManagedPolicy(acct, path, name, document, "managed policy "+name)
}

// addManagedPolicy parses document and adds it to account acct as the
// managed policy path+name, version v1, for the Go methods that create
// one (CreateManagedPolicy, CreateAWSManagedPolicy); what names it in a
// parse error.
func (e *Engine) addManagedPolicy(acct, path, name, document, what string) (string, error) {
	p, err := parsePolicyDoc(document, policy.Identity, what)
	if err != nil {
		return "", err
	}
	mp, err := e.newManagedPolicy(acct, path, name, document, p, nil, nil)
	if err != nil {
		return "", err
	}
	err = e.changeIAM(func(c *iamChange) error {
		a := c.accountOf(acct)
		if a.policies[mp.arn] != nil {
			return fmt.Errorf("fakests: policy %s already exists", mp.arn)
		}
		c.policy(mp)
		setIn(c, a.policies, mp.arn, mp)
		return nil
	})
	if err != nil {
		return "", err
	}
	return mp.arn, nil
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

// managedLocked finds a managed policy by ARN in any account and returns
// its default version. e.mu must be held.
func (e *Engine) managedLocked(policyARN string) *policy.Policy {
	if mp := e.managedPolicyLocked(policyARN); mp != nil {
		return mp.def.parsed
	}
	return nil
}

// managedPolicyLocked finds a managed policy by ARN in any account (AWS
// managed policies live in the account "aws"). e.mu must be held.
func (e *Engine) managedPolicyLocked(policyARN string) *managedPolicy {
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
	var creds aws.Credentials
	err := e.changeIAM(func(c *iamChange) error {
		a := c.accountOf(acct)
		if a.rootKey == nil {
			key, err := e.newLongTermKey(acct)
			if err != nil {
				return err
			}
			if err := c.registerKey(key); err != nil {
				return err
			}
			c.account(a)
			a.rootKey = key
		}
		creds = aws.Credentials{AccessKeyID: a.rootKey.id, SecretAccessKey: a.rootKey.secret, Source: "fakests"}
		return nil
	})
	if err != nil {
		panic("fakests: RootCredentials: " + err.Error())
	}
	return creds
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
	serial     string // arn:aws:iam::ACCT:mfa/PATHNAME
	name, path string
	secret     []byte
	created    time.Time
	tags       []tags.Tag
	// user is the user the device is assigned to, since enabled; nil while
	// unassigned. Guarded by Engine.mu.
	user    *user
	enabled time.Time
	// used holds the time steps whose codes have issued a session, within
	// reach of the acceptance window; guarded by Engine.mfaMu.
	used map[uint64]struct{}
}

// CreateVirtualMFADevice creates a virtual MFA device named after the user
// and binds it to the user with ARN userARN, enabled at once (IAM's
// EnableMFADevice, which needs two consecutive codes, is served on the wire).
func (e *Engine) CreateVirtualMFADevice(userARN string) (*MFADevice, error) {
	secret := make([]byte, 20)
	if _, err := io.ReadFull(e.random(), secret); err != nil {
		return nil, err
	}
	now := e.now()
	var d *mfaDevice
	err := e.changeIAM(func(c *iamChange) error {
		u := e.userByARNLocked(userARN)
		if u == nil {
			return fmt.Errorf("fakests: no user %s", userARN)
		}
		serial := arn.IAM(u.account, "mfa"+u.path+u.name)
		a := e.accounts[u.account]
		if a.mfa[serial] != nil {
			return fmt.Errorf("fakests: MFA device %s already exists", serial)
		}
		d = &mfaDevice{serial: serial, name: u.name, path: u.path, secret: secret, created: now,
			user: u, enabled: now, used: make(map[uint64]struct{})}
		c.device(d)
		c.user(u)
		setIn(c, a.mfa, serial, d)
		u.mfa = append(slices.Clone(u.mfa), d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &MFADevice{SerialNumber: d.serial, dev: d}, nil
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
		if _, deleted := a.deletedRoles[roleARN]; deleted {
			// DeleteRole removed it: lenient mode does not stand in for
			// it, as AWS refuses it (behaviour §18).
			e.mu.RUnlock()
			return nil
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
	var kept *role
	var hadAccount bool
	err := e.changeIAM(func(c *iamChange) error {
		_, hadAccount = e.accounts[r.account]
		a := c.accountOf(r.account)
		if old := a.implicit[r.arn]; old != nil {
			kept = old
			return nil
		}
		c.role(r)
		setIn(c, a.implicit, r.arn, r)
		kept = r
		return nil
	})
	if err != nil {
		return nil, nil, newError(apierror.CodeInternalFailure, err.Error())
	}
	if kept != r {
		return kept, func() {}, nil
	}
	return r, func() {
		// The engine refuses changes once its log failed; taking back a
		// role nobody holds a session of is no reason to refuse it.
		e.changeIAM(func(c *iamChange) error {
			a := e.accounts[r.account]
			if a == nil || a.implicit[r.arn] != r {
				return nil
			}
			c.role(r)
			deleteIn(c, a.implicit, r.arn)
			if !hadAccount && a.empty() {
				c.dropAccount(a)
			}
			return nil
		})
	}, nil
}

// empty reports whether a holds nothing at all.
func (a *account) empty() bool {
	return a.rootKey == nil && len(a.users) == 0 && len(a.roles) == 0 && len(a.implicit) == 0 &&
		len(a.policies) == 0 && len(a.mfa) == 0 && len(a.deletedRoles) == 0
}
