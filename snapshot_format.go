package fakests

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"time"

	"github.com/fakests/fakests/internal/fedverify"
	"github.com/fakests/fakests/policy"
	"github.com/fakests/fakests/tags"
)

// This file is the snapshot format (behaviour §23): the JSON a Snapshot
// marshals to, as Go types. Every entity has one type here, whose JSON
// members are its fields; snapshot_capture.go fills them from the engine
// and snapshot_build.go makes engine objects of them again, checking
// everything. A change record of the change log (changelog.go) carries the
// same entity types, so each entity is written one way only.
//
// Adding a field to an entity is a local change: add the member to its
// type below, fill it in its capture function (snapshot_capture.go), read
// and check it in its build function (snapshot_build.go), and give the
// code that changes it a change record (changelog.go says how). A member
// whose absence means what older snapshots meant keeps the version (older
// snapshots still restore; older fakests refuse the newer member, as
// unknown members are refused); any other change of meaning raises
// snapshotVersion, and Restore refuses versions it does not know.
//
// Entities refer to one another by unique ID (AIDA… users, AROA… roles),
// never by position, and every list is sorted by its key, so that two
// engines in the same state marshal to the same bytes.

// snapshotVersion is the version of the format this fakests writes, the
// only one it reads.
const snapshotVersion = 1

// snapState is a snapshot's content: the JSON object of behaviour §23.
type snapState struct {
	// Version is snapshotVersion.
	Version int `json:"version"`
	// DefaultUser is the unique ID of the user that callers without
	// credentials (and, in lenient mode, unknown keys) act as.
	DefaultUser string `json:"defaultUser"`
	entities
	// Journal is the call journal, oldest first, as CloudTrail records.
	Journal journalList `json:"journal,omitempty"`
}

// entities are the engine's state but for the journal and the default
// user: what a snapshot holds and what a change record puts.
type entities struct {
	// AuthorizationMessageKey is the AES-256 key that seals authorization
	// messages (absent until the engine first encodes one).
	AuthorizationMessageKey []byte              `json:"authorizationMessageKey,omitempty"`
	Accounts                []accountJSON       `json:"accounts,omitempty"`
	Users                   []userJSON          `json:"users,omitempty"`
	Roles                   []roleJSON          `json:"roles,omitempty"`
	ManagedPolicies         []managedPolicyJSON `json:"managedPolicies,omitempty"`
	RootKeys                []rootKeyJSON       `json:"rootKeys,omitempty"`
	MFADevices              []mfaDeviceJSON     `json:"mfaDevices,omitempty"`
	OIDCProviders           []oidcProviderJSON  `json:"oidcProviders,omitempty"`
	SAMLProviders           []samlProviderJSON  `json:"samlProviders,omitempty"`
	Organizations           []organizationJSON  `json:"organizations,omitempty"`
	OptInRegions            []optInRegionJSON   `json:"optInRegions,omitempty"`
	STSDeactivated          []regionJSON        `json:"stsDeactivated,omitempty"`
	OutboundFederation      []outboundJSON      `json:"outboundFederation,omitempty"`
	Delegations             []delegationJSON    `json:"delegations,omitempty"`
	Sessions                []sessionJSON       `json:"sessions,omitempty"`
	Faults                  []faultRule         `json:"faults,omitempty"`
}

// accountJSON is what an account holds besides its entities: when the
// engine first held anything of it, and the ARNs of the roles DeleteRole
// removed, which lenient mode does not stand in for (behaviour §18).
// Account "aws" holds the AWS managed policies.
type accountJSON struct {
	ID           string    `json:"id"`
	Created      time.Time `json:"created"`
	DeletedRoles []string  `json:"deletedRoles,omitempty"`
}

// policyJSON is a policy document with the name decisions give it.
type policyJSON struct {
	Name     string `json:"name"`
	Document string `json:"document"`
	// parsed is the policy, when known (captured, or parsed once when the
	// snapshot was decoded); never changed once set.
	parsed *policy.Policy
}

// accessKeyJSON is a long-term access key.
type accessKeyJSON struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
}

// userKeyJSON is an access key of an IAM user: when it was created and
// whether UpdateAccessKey made it Inactive.
type userKeyJSON struct {
	accessKeyJSON
	Created  time.Time `json:"created"`
	Inactive bool      `json:"inactive,omitempty"`
}

// userJSON is an IAM user.
type userJSON struct {
	ID      string    `json:"id"`
	ARN     string    `json:"arn"`
	Account string    `json:"account"`
	Path    string    `json:"path"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	// AccessKeys are the user's current keys, oldest first.
	AccessKeys []userKeyJSON `json:"accessKeys,omitempty"`
	// DeletedAccessKeys are keys DeleteAccessKey removed: the engine keeps
	// refusing them (InvalidClientTokenId, behaviour §18).
	DeletedAccessKeys []userKeyJSON `json:"deletedAccessKeys,omitempty"`
	// CredentialsKey is the ID of the key CreateUser made, which
	// User.Credentials returns (absent for users created over the wire):
	// one of AccessKeys or DeletedAccessKeys.
	CredentialsKey    string             `json:"credentialsKey,omitempty"`
	Policies          []inlinePolicyJSON `json:"policies,omitempty"`
	ManagedPolicyARNs []string           `json:"managedPolicyArns,omitempty"`
	Tags              tagList            `json:"tags,omitempty"`
	// Detached marks a user its account no longer holds (DeleteUser, or a
	// session issued while Restore replaced the state) that sessions,
	// deleted keys or the engine's default user still refer to. It takes
	// no name in its account.
	Detached bool `json:"detached,omitempty"`
}

// inlinePolicyJSON is an inline policy of a user or role: its IAM name
// and its document as given.
type inlinePolicyJSON struct {
	Name     string `json:"name"`
	Document string `json:"document"`
	parsed   *policy.Policy
}

// roleJSON is an IAM role, or (Implicit) lenient mode's stand-in for a
// role that was never created, which trusts every caller.
type roleJSON struct {
	ID          string    `json:"id"`
	ARN         string    `json:"arn"`
	Account     string    `json:"account"`
	Path        string    `json:"path"`
	Name        string    `json:"name"`
	Created     time.Time `json:"created"`
	Description *string   `json:"description,omitempty"`
	Implicit    bool      `json:"implicit,omitempty"`
	// TrustPolicy is the trust policy document as given (absent for an
	// implicit role).
	TrustPolicy        *string            `json:"trustPolicy,omitempty"`
	Policies           []inlinePolicyJSON `json:"policies,omitempty"`
	ManagedPolicyARNs  []string           `json:"managedPolicyArns,omitempty"`
	MaxSessionDuration int64              `json:"maxSessionDurationSeconds"`
	Tags               tagList            `json:"tags,omitempty"`
	// Detached marks a role its account no longer holds (DeleteRole, or a
	// session issued while Restore replaced the state) that sessions still
	// hold as their role. It takes no name in its account.
	Detached bool `json:"detached,omitempty"`
	// trust is the parsed trust policy, when known.
	trust *policy.Policy
}

// managedPolicyJSON is a managed policy: a customer managed policy, or an
// AWS managed one (account "aws", CreateAWSManagedPolicy).
type managedPolicyJSON struct {
	ARN         string              `json:"arn"`
	ID          string              `json:"id"`
	Path        string              `json:"path"`
	Name        string              `json:"name"`
	Description *string             `json:"description,omitempty"`
	Created     time.Time           `json:"created"`
	Updated     time.Time           `json:"updated"`
	Versions    []policyVersionJSON `json:"versions"` // in creation order
	// DefaultVersion is the ID of the default version.
	DefaultVersion string `json:"defaultVersion"`
	// NextVersion is the number the next version takes (v<n>).
	NextVersion int     `json:"nextVersion"`
	Tags        tagList `json:"tags,omitempty"`
}

// policyVersionJSON is a version of a managed policy.
type policyVersionJSON struct {
	ID       string    `json:"id"`
	Document string    `json:"document"`
	Created  time.Time `json:"created"`
	parsed   *policy.Policy
}

// rootKeyJSON is an account root's long-term access key.
type rootKeyJSON struct {
	Account string `json:"account"`
	accessKeyJSON
	Created time.Time `json:"created"`
}

// mfaDeviceJSON is a virtual MFA device: its TOTP seed, the user it is
// assigned to (none while unassigned) and the time steps whose codes have
// issued a session.
type mfaDeviceJSON struct {
	SerialNumber string     `json:"serialNumber"`
	Name         string     `json:"name"`
	Path         string     `json:"path"`
	Created      time.Time  `json:"created"`
	Tags         tagList    `json:"tags,omitempty"`
	User         string     `json:"user,omitempty"` // the user's unique ID
	Enabled      *time.Time `json:"enabled,omitempty"`
	Seed         []byte     `json:"seed"`
	UsedSteps    []uint64   `json:"usedSteps,omitempty"`
}

// oidcProviderJSON is an OIDC identity provider with a static key set.
type oidcProviderJSON struct {
	Account     string    `json:"account"`
	URL         string    `json:"url"`
	ClientIDs   []string  `json:"clientIds"`
	Thumbprints []string  `json:"thumbprints,omitempty"`
	Created     time.Time `json:"created"`
	Tags        tagList   `json:"tags,omitempty"`
	JWKS        []byte    `json:"jwks"`
	// fetch is the provider's FetchJWKS: an in-memory snapshot keeps it,
	// JSON cannot (MarshalJSON fails).
	fetch func(context.Context) ([]byte, error)
}

// samlProviderJSON is a SAML identity provider.
type samlProviderJSON struct {
	Account  string    `json:"account"`
	Name     string    `json:"name"`
	Metadata string    `json:"metadata"` // the metadata document as given
	UUID     string    `json:"uuid"`
	Created  time.Time `json:"created"`
	Tags     tagList   `json:"tags,omitempty"`
	parsed   *fedverify.SAMLMetadata
}

// organizationJSON is an organization.
type organizationJSON struct {
	ID                        string   `json:"id"`
	RootID                    string   `json:"rootId"`
	ManagementAccount         string   `json:"managementAccount"`
	Members                   []string `json:"members,omitempty"`
	DelegatedAdministrator    string   `json:"delegatedAdministrator,omitempty"`
	RootCredentialsManagement bool     `json:"rootCredentialsManagement,omitempty"`
	RootSessions              bool     `json:"rootSessions,omitempty"`
}

// regionJSON names an account's region.
type regionJSON struct {
	Account string `json:"account"`
	Region  string `json:"region"`
}

// optInRegionJSON is an account's opt-in status of a region, as
// EnableRegion or DisableRegion set it.
type optInRegionJSON struct {
	regionJSON
	Enabled bool `json:"enabled"`
}

// outboundJSON is an account's outbound identity federation: its issuer,
// whether it is on, and its signing keys once made (PKCS #8, DER).
type outboundJSON struct {
	Account string `json:"account"`
	Issuer  string `json:"issuer"`
	Enabled bool   `json:"enabled"`
	RSAKey  []byte `json:"rsaKey,omitempty"`
	ECKey   []byte `json:"ecKey,omitempty"`
	rsaKey  *rsa.PrivateKey
	ecKey   *ecdsa.PrivateKey
}

// delegationJSON is an accepted delegation whose trade-in token has not
// been exchanged.
type delegationJSON struct {
	TradeInToken string    `json:"tradeInToken"`
	Account      string    `json:"account"`
	Principal    string    `json:"principal"`
	Kind         string    `json:"kind"` // "user", "role" or "root"
	Entity       string    `json:"entity,omitempty"`
	SessionName  string    `json:"sessionName,omitempty"`
	Policy       *string   `json:"policy,omitempty"`
	PolicyARNs   []string  `json:"policyArns,omitempty"`
	SessionEnd   time.Time `json:"sessionEnd"`
	TokenExpires time.Time `json:"tokenExpires"`
}

// sessionJSON is an issued session: its credentials (the session token
// by its SHA-256 only, as the engine keeps it) and what later requests
// with them see.
type sessionJSON struct {
	AccessKeyID       string              `json:"accessKeyId"`
	SecretAccessKey   string              `json:"secretAccessKey"`
	TokenSHA256       hexDigest           `json:"sessionTokenSha256"`
	IssuedAt          time.Time           `json:"issuedAt"`
	Expiration        time.Time           `json:"expiration"`
	Type              string              `json:"type"`      // IAMUser, AssumedRole, FederatedUser or Root
	Operation         string              `json:"operation"` // the operation that issued it
	Account           string              `json:"account"`
	ARN               string              `json:"arn"`
	UserID            string              `json:"userId"`
	SessionName       string              `json:"sessionName,omitempty"`
	User              string              `json:"user,omitempty"` // the IAM user's unique ID
	Role              string              `json:"role,omitempty"` // the role's unique ID
	Root              bool                `json:"root,omitempty"`
	SourceIdentity    string              `json:"sourceIdentity,omitempty"`
	Tags              tagList             `json:"tags,omitempty"`
	TransitiveTags    tagList             `json:"transitiveTags,omitempty"`
	Policies          []policyJSON        `json:"policies,omitempty"`
	PolicyARNs        []string            `json:"policyArns,omitempty"` // managed session policies, read when used
	HasPolicy         bool                `json:"hasSessionPolicy,omitempty"`
	MFAAuthenticated  *time.Time          `json:"mfaAuthenticatedAt,omitempty"`
	FederatedProvider string              `json:"federatedProvider,omitempty"`
	Context           map[string][]string `json:"context,omitempty"`
	TaskPolicyARN     string              `json:"taskPolicyArn,omitempty"`
}

// principalTypeNames names the kinds of session in the format.
var principalTypeNames = map[PrincipalType]string{
	IAMUser:       "IAMUser",
	AssumedRole:   "AssumedRole",
	FederatedUser: "FederatedUser",
	Root:          "Root",
}

// delegatedKindNames names the kinds of delegation in the format.
var delegatedKindNames = map[delegatedKind]string{
	delegatedUser: "user",
	delegatedRole: "role",
	delegatedRoot: "root",
}

// tagList is tags as [{"key":…,"value":…}], shared with the session or
// entity that holds them (tags are never changed once set).
type tagList []tags.Tag

// tagJSON is one tag in the format.
type tagJSON struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// MarshalJSON writes the tags as objects.
func (l tagList) MarshalJSON() ([]byte, error) {
	out := make([]tagJSON, len(l))
	for i, t := range l {
		out[i] = tagJSON(t)
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads tags written by MarshalJSON.
func (l *tagList) UnmarshalJSON(b []byte) error {
	var in []tagJSON
	if err := strictUnmarshal(b, &in); err != nil {
		return err
	}
	if in == nil {
		*l = nil
		return nil
	}
	*l = make(tagList, len(in))
	for i, t := range in {
		(*l)[i] = tags.Tag(t)
	}
	return nil
}

// hexDigest is a SHA-256 in lower-case hexadecimal.
type hexDigest [32]byte

// MarshalJSON writes the digest as 64 hex digits.
func (d hexDigest) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf(`"%x"`, d[:])), nil
}

// UnmarshalJSON reads 64 hex digits.
func (d *hexDigest) UnmarshalJSON(b []byte) error {
	if len(b) != 66 || b[0] != '"' || b[65] != '"' {
		return fmt.Errorf("a SHA-256 digest is a string of 64 hex digits, not %.80s", b)
	}
	for i := range d {
		hi, ok1 := unhex(b[1+2*i])
		lo, ok2 := unhex(b[2+2*i])
		if !ok1 || !ok2 {
			return fmt.Errorf("%s is not hexadecimal", b)
		}
		d[i] = hi<<4 | lo
	}
	return nil
}

// unhex is the value of one hex digit.
func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
