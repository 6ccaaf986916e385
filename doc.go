// Package fakests is an in-process fake of AWS STS (Security Token Service)
// for Go tests: the real protocol and rules, without the network.
//
// # Three ways in
//
// An Engine has one method per STS operation with exactly the signature of
// *sts.Client's, taking and returning the SDK's own types, so it satisfies
// any interface carved out of the client:
//
//	e := fakests.New()
//	out, err := e.AssumeRole(fakests.WithCaller(ctx, creds), &sts.AssumeRoleInput{...})
//
// A real client is routed into the engine by a middleware at the tail of
// the SDK's Deserialize step: the SDK serializes, signs and later
// deserializes and retries exactly as against AWS, and the engine answers
// with the XML AWS would send. Config builds a ready aws.Config; APIOption
// and ClientOption add the routing to configs and clients of your own
// (other services pass through):
//
//	client := sts.NewFromConfig(e.Config(user.Credentials))
//
// Handler serves the same wire path over HTTP for other SDKs, the aws CLI,
// presigned GetCallerIdentity URLs and other emulators.
//
// # IAM's control plane
//
// The same wire path serves the part of IAM that sets up identities (users
// and their access keys, roles, inline and managed policies, attachments,
// identity providers, virtual MFA devices, the account's outbound
// federation and organization switches): the aws CLI, boto3 and a real
// *iam.Client (iam.NewFromConfig(e.Config(creds))) create what STS then
// enforces, authorized by the same policies. The administration methods
// (CreateUser, DeleteUser, CreateAccessKey, PutRolePolicy, ...) do the same
// from Go without a caller.
//
// # What is faithful
//
// ARNs, unique IDs (AIDA…, AROA…), access key IDs that encode the account as
// AWS's do (so GetAccessKeyInfo decodes them), 40-character secrets and
// opaque session tokens of realistic length; durations, defaults and limits
// (MaxSessionDuration, the one-hour role-chaining cap, root's one-hour
// sessions); every request member validated with AWS's ValidationError
// texts; error codes, messages and HTTP statuses; SigV4 signatures verified
// against the secrets the engine issued (header and presigned); trust,
// identity and session policies evaluated by package policy; session tags
// and source identity through role chains; MFA with real RFC 6238 codes;
// federation with cryptographically verified OIDC tokens and SAML
// assertions (package federation mints them for tests).
//
// Errors are what the SDK client itself would return for the same answer: a
// types.*Exception where the operation's model lists the code, a
// *smithy.GenericAPIError with the real code and message otherwise. Through
// a client they arrive wrapped as the SDK wraps real ones
// (*smithy.OperationError, then *awshttp.ResponseError with the HTTP status
// and a request ID). So expired session credentials give ExpiredToken (403)
// as a *smithy.GenericAPIError, while an expired web identity token gives a
// *types.ExpiredTokenException (400); a denial, a wrong MFA code or session
// credentials on GetSessionToken are AccessDenied (403), a bad parameter
// ValidationError (400), both generic. README's error table lists every
// situation with its code, status and Go type.
//
// # Outbound identity federation and delegation
//
// EnableOutboundWebIdentityFederation turns the account's outbound identity
// federation on (it is off by default, as in AWS) and returns its issuer,
// https://<uuid>.tokens.sts.global.api.aws. GetWebIdentityToken then returns
// JSON Web Tokens signed with the account's RSA-2048 (RS256) or P-384
// (ES384) key, laid out as AWS's tokens are; Handler serves the issuer's
// /.well-known/openid-configuration and /.well-known/jwks.json to any
// request whose Host is the issuer's host, so a relying party that knows
// only the issuer URL verifies the tokens with any JOSE library.
//
// CreateDelegation stands for IAM's temporary delegation to a partner: it
// returns the trade-in token that GetDelegatedAccessToken exchanges, once,
// for credentials acting as the identity that accepted the delegation, with
// the delegated policies as their ceiling.
//
// # Journal and faults
//
// Events returns every call the engine answered, failed ones too, as
// CloudTrail records them (json.Marshal of an Event is the record), with
// the request ID the client saw; no event holds a secret. InjectFault
// makes matching calls fail with a real STS error (Throttling,
// InternalFailure, ...), after a delay, a number of times or with a
// probability drawn from WithRand's source.
//
// # Snapshot, restore and durable state
//
// Snapshot copies all of the engine's state (IAM, sessions, MFA codes
// used, providers, organizations, faults, the journal); Restore goes back
// to it, and json.Marshal of a Snapshot is a versioned document another
// engine restores. LogChanges writes a snapshot record, then one
// self-checking record per change before the call that made it returns;
// Recover rebuilds an engine from such a log after a restart or a crash.
// Both hold every secret the engine knows.
//
// # MFA
//
// CreateVirtualMFADevice binds a virtual device to a user; MFADevice.Code
// gives its RFC 6238 code for the engine's time. A code works once per
// 30-second step, and codes of two steps either side of the engine clock
// are accepted, as STS accepts them.
//
// # Time
//
// Issue times and expiry follow the engine clock (WithClock). Request
// freshness (SigV4's 15-minute window) and the HTTP Date header follow the
// wall clock, because clients sign with theirs and learn their skew from
// Date: a test may move the engine clock by hours and keep calling through
// the same client. The SDK's aws.CredentialsCache judges expiry on the wall
// clock and would keep expired credentials: wrap providers with
// Engine.CredentialsCache instead, and the first call after the engine
// clock passes their expiry fetches new ones.
//
// # Lenient and strict
//
// New() is lenient: an unknown access key acts as the default IAM user
// (allowed everything), and AssumeRole on a role that was never created
// succeeds as if the role trusted the caller, with a one-hour
// MaxSessionDuration. Strict() answers those as AWS does
// (InvalidClientTokenId, AccessDenied). What was created is enforced in
// both modes, and unsigned requests to signed operations always get
// MissingAuthenticationToken. Opt-in regions (af-south-1, me-south-1, …)
// are enabled in lenient mode and disabled under Strict() until
// EnableRegion.
//
// # Organizations, AssumeRoot and regions
//
// CreateOrganization groups accounts under a management account, with an
// IAM delegated administrator and IAM's root-access features; AssumeRoot
// then issues a member's root session capped by its task policy, and
// policies see aws:PrincipalOrgID and aws:PrincipalOrgPaths. Every region
// of the aws partition is served: a request's region is the one it was
// signed for, or sts.Options.Region in a typed call's optFns. EnableRegion
// and DisableRegion set an account's opt-in regions, DeactivateSTSRegion
// and ActivateSTSRegion its STS endpoints (RegionDisabledException). The
// host sts.amazonaws.com, or region aws-global, is the global endpoint,
// which does not serve AssumeRoot and GetWebIdentityToken.
//
// # For emulator builders
//
// Authenticate verifies any service's SigV4 request against the engine's
// credentials; Authorize evaluates identity, session and resource policies
// for an action as AWS would; EncodeAuthorizationMessage produces the
// message a service returns on denial, which DecodeAuthorizationMessage
// reverses.
//
// # Without Go
//
// The command cmd/fakests serves the Handler over HTTP (fakests serve), with
// a seed file of identities, a -state file kept by the change log, and
// admin endpoints for the journal, faults, the clock, snapshots and reset,
// for the aws CLI, boto3, the JS SDK and emulators written in other
// languages.
//
// # Where fakests knowingly differs
//
// Messages that no source confirmed are marked "unverified" in errors.go and
// are fakests' best guess. GetAccessKeyInfo requires no permission (AWS's
// rule is unverified). A presigned request honours its X-Amz-Expires
// by default (real STS is reported to allow 15 minutes whatever it says;
// WithPresignWindowFixed models that). Packed
// policy sizes come from a model (compressed size against a fixed
// allotment), not AWS's undocumented format. Permissions boundaries and
// SCPs are not modelled. Organizations (CreateOrganization) have no
// organizational units, and region settings (EnableRegion,
// DeactivateSTSRegion) take effect at once; the global endpoint is served
// as us-east-1. Turning outbound identity federation on or off takes effect
// at once (STS sees IAM's change seconds later). A trade-in token works once,
// and one used or never issued is InvalidParameterValue: AWS's answers are
// unrecorded.
//
// Section numbers (§n, "behaviour §n") refer to the behaviour record,
// docs/behaviour.md in this module, which gives the source of each AWS
// behaviour followed here and says which are fakests' own choices.
package fakests
