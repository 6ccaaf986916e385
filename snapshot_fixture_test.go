package fakests

import (
	"bytes"
	"context"
	"encoding/base32"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/fakests/fakests/federation"
	"github.com/google/go-cmp/cmp"
)

// This file builds, for the snapshot and change-log tests, an engine that
// holds every kind of state the engine has (behaviour §23's list), each
// made through the public methods and operations.

// seqReader is a WithRand source whose position can be read and set, so
// that a second engine can draw, from the point a snapshot was taken,
// the bytes the first one draws.
type seqReader struct {
	mu  sync.Mutex
	src *rand.ChaCha8
	pos int64
}

func newSeqReader(seed byte) *seqReader { return &seqReader{src: rand.NewChaCha8([32]byte{seed})} }

func (r *seqReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.src.Read(p)
	r.pos += int64(len(p))
	return len(p), nil
}

// position returns how many bytes were read.
func (r *seqReader) position() int64 { r.mu.Lock(); defer r.mu.Unlock(); return r.pos }

// skipTo reads up to pos (a reader of the same seed then gives what the
// other gave from pos on).
func (r *seqReader) skipTo(t testing.TB, pos int64) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pos > pos {
		t.Fatalf("reader at %d, past %d", r.pos, pos)
	}
	buf := make([]byte, pos-r.pos)
	r.src.Read(buf)
	r.pos = pos
}

// fullWorld is an engine holding every kind of state, and what a test
// needs to use it.
type fullWorld struct {
	e    *Engine
	clk  *manualClock
	rnd  *seqReader
	user *User // alice: inline and managed policies, tags, an MFA device
	mfa  *MFADevice
	role *Role
	// creds are credentials issued by every credential-issuing operation,
	// by operation name.
	creds map[string]aws.Credentials
	// refused are keys IAM made Inactive or deleted: InvalidClientTokenId.
	refused map[string]aws.Credentials
	// pendingToken is a delegation not exchanged yet.
	pendingToken string
	// message is an authorization message the engine encoded.
	message string
	oidc    *federation.OIDCIssuer
}

// worldOptions are the options of a fullWorld's engine, but for the clock
// and the randomness.
var worldOptions = []Option{Strict(), WithJournalSize(5000)}

// newFullWorld builds the world on a manual clock and a seqReader seeded
// with seed.
func newFullWorld(t testing.TB, seed byte) *fullWorld {
	t.Helper()
	return newFullWorldWith(t, seed, func(*Engine) {})
}

// newFullWorldWith builds the world, calling start with the engine before
// anything else.
func newFullWorldWith(t testing.TB, seed byte, start func(*Engine)) *fullWorld {
	t.Helper()
	clk := &manualClock{t: testEpoch}
	rnd := newSeqReader(seed)
	e := New(append([]Option{WithClock(clk.Now), WithRand(rnd)}, worldOptions...)...)
	start(e)
	w := &fullWorld{e: e, clk: clk, rnd: rnd, creds: make(map[string]aws.Credentials)}
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	readOnly, err := e.CreateManagedPolicy("", "ReadOnly", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`)
	must(err)
	w.user = mustUser(t, e, UserSpec{Name: "alice", Path: "/eng/", Policies: []string{adminPolicy},
		ManagedPolicyARNs: []string{readOnly}, Tags: map[string]string{"Team": "blue"}})
	w.role = mustRole(t, e, RoleSpec{Name: "deployer", Path: "/ci/", TrustPolicy: trustAccount(acctA),
		Policies: []string{adminPolicy}, MaxSessionDuration: 2 * time.Hour, Tags: map[string]string{"Env": "prod"}})
	other := mustRole(t, e, RoleSpec{Account: acctB, Name: "cross", TrustPolicy: trustAccount(acctA)})
	w.mfa, err = e.CreateVirtualMFADevice(w.user.ARN)
	must(err)
	root := e.RootCredentials("")

	// Identity providers, an organization, regions, outbound federation.
	w.oidc = federation.NewOIDCIssuer(ghIssuerURL, federation.WithIssuerClock(clk.Now))
	_, err = e.CreateOIDCProvider(OIDCProviderSpec{URL: ghIssuerURL, ClientIDs: []string{"sts.amazonaws.com"}, JWKS: w.oidc.JWKS()})
	must(err)
	web := mustRole(t, e, RoleSpec{Name: "web", TrustPolicy: trustWebIdentity(`"sts:AssumeRoleWithWebIdentity"`, `{}`)})
	_, err = e.CreateSAMLProvider(SAMLProviderSpec{Name: samlProvName, Metadata: oktaIdP().Metadata()})
	must(err)
	samlRole := mustRole(t, e, RoleSpec{Name: "saml", TrustPolicy: trustSAML(`"sts:AssumeRoleWithSAML"`, `{}`)})
	_, err = e.CreateOrganization(OrganizationSpec{ManagementAccount: acctA, Members: []string{acctB, rootMember},
		DelegatedAdministrator: acctB, RootCredentialsManagement: true, RootSessions: true})
	must(err)
	must(e.EnableRegion(acctA, "af-south-1"))
	must(e.DisableRegion(acctB, "me-south-1"))
	must(e.DeactivateSTSRegion(acctB, "eu-west-2"))
	_, err = e.EnableOutboundWebIdentityFederation("")
	must(err)

	// A session of every operation that issues one.
	alice := typed(w.user.Credentials)
	ar, err := e.AssumeRole(alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.role.ARN), RoleSessionName: aws.String("s1"),
		Policy:         aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`),
		PolicyArns:     []types.PolicyDescriptorType{{Arn: aws.String(readOnly)}},
		Tags:           []types.Tag{{Key: aws.String("Project"), Value: aws.String("x")}},
		SourceIdentity: aws.String("alice"), SerialNumber: aws.String(w.mfa.SerialNumber), TokenCode: aws.String(w.mfa.Code(clk.Now()))})
	must(err)
	w.creds[opAssumeRole] = credsOf(ar.Credentials)
	_, err = e.AssumeRole(alice, &sts.AssumeRoleInput{RoleArn: aws.String(other.ARN), RoleSessionName: aws.String("cross-session")})
	must(err)
	st, err := e.GetSessionToken(typed(root), &sts.GetSessionTokenInput{})
	must(err)
	w.creds[opGetSessionToken] = credsOf(st.Credentials)
	ft, err := e.GetFederationToken(alice, &sts.GetFederationTokenInput{Name: aws.String("fed"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)})
	must(err)
	w.creds[opGetFederationToken] = credsOf(ft.Credentials)
	wi, err := e.AssumeRoleWithWebIdentity(ctx, webIn(web.ARN, w.oidc.Token(federation.Claims{Subject: "repo:o/r", Audience: []string{"sts.amazonaws.com"}})))
	must(err)
	w.creds[opAssumeRoleWithWebIdentity] = credsOf(wi.Credentials)
	sa, err := e.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(samlRole.ARN), PrincipalArn: aws.String(samlProvARN),
		SAMLAssertion: aws.String(oktaIdP().Assertion(federation.SAMLAssertion{NameID: "jane@example.com", SessionName: "jane",
			Roles: []string{samlRole.ARN + "," + samlProvARN}}))})
	must(err)
	w.creds[opAssumeRoleWithSAML] = credsOf(sa.Credentials)
	rt, err := e.AssumeRoot(alice, rootIn(rootMember, taskS3))
	must(err)
	w.creds[opAssumeRoot] = credsOf(rt.Credentials)
	tok, err := e.CreateDelegation(DelegationSpec{Principal: w.role.ARN, Policy: adminPolicy})
	must(err)
	dt, err := e.GetDelegatedAccessToken(alice, &sts.GetDelegatedAccessTokenInput{TradeInToken: aws.String(tok)})
	must(err)
	w.creds[opGetDelegatedAccessToken] = credsOf(dt.Credentials)
	w.pendingToken, err = e.CreateDelegation(DelegationSpec{Principal: w.user.ARN, PolicyARNs: []string{readOnly}})
	must(err)
	for _, alg := range []string{"RS256", "ES384"} {
		_, err = e.GetWebIdentityToken(alice, &sts.GetWebIdentityTokenInput{Audience: []string{"https://api.example.com"}, SigningAlgorithm: aws.String(alg)})
		must(err)
	}

	w.addIAMState(t, root)

	// Lenient mode's implicit roles exist only in lenient engines: a second
	// account's trust in the default user stands for them in strict mode.
	w.message = e.EncodeAuthorizationMessage(&Decision{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"})
	e.InjectFault(Fault{Operation: opGetAccessKeyInfo, Code: "Throttling", Times: 3})
	e.InjectFault(Fault{Operation: opDecodeAuthorizationMessage, Delay: time.Millisecond, Probability: 0.5})
	clk.Advance(time.Minute)
	return w
}

// Documents of the IAM state.
const (
	s3ListPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:List*","Resource":"*"}]}`
	ec2Policy    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}`
)

// addIAMState gives the world every kind of IAM state (iam_*.go), made
// through the administration methods and through a real *iam.Client
// signed by the account's root: AWS and customer managed policies with
// several versions, named inline policies and attachments, users with two
// keys (one Inactive) and deleted keys, role descriptions and trust
// changes, a role and a user deleted while sessions hold them, assigned
// and unassigned MFA devices with tags, providers with thumbprints, tags
// and new metadata, and organization features switched.
func (w *fullWorld) addIAMState(t testing.TB, root aws.Credentials) {
	t.Helper()
	e, ctx := w.e, context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// Through the administration methods.
	admin, err := e.CreateAWSManagedPolicy("/", "AdministratorAccess", adminPolicy)
	must(err)
	readOnly := arnIAM(acctA, "policy/ReadOnly")
	_, err = e.CreatePolicyVersion(readOnly, s3ListPolicy, false)
	must(err)
	v3, err := e.CreatePolicyVersion(readOnly, ec2Policy, true)
	must(err)
	must(e.SetDefaultPolicyVersion(readOnly, "v1"))
	must(e.DeletePolicyVersion(readOnly, v3))
	must(e.PutUserPolicy(w.user.ARN, "Named", s3ListPolicy))
	must(e.AttachUserPolicy(w.user.ARN, admin))
	must(e.PutRolePolicy(w.role.ARN, "Extra", ec2Policy))
	must(e.AttachRolePolicy(w.role.ARN, readOnly))
	desc, maxDur := "deploys things", 3*time.Hour
	must(e.UpdateRole(w.role.ARN, RoleUpdate{Description: &desc, MaxSessionDuration: &maxDur}))
	must(e.UpdateAssumeRolePolicy(w.role.ARN, trustAccount(acctA)+" "))
	erin := mustUser(t, e, UserSpec{Name: "erin"})
	second, err := e.CreateAccessKey(erin.ARN)
	must(err)
	must(e.SetAccessKeyActive(second.AccessKeyID, false))
	must(e.DeleteAccessKey(erin.Credentials.AccessKeyID)) // User.Credentials now names a deleted key
	w.refused = map[string]aws.Credentials{"inactive": second, "deleted": erin.Credentials}
	must(e.AddOIDCClientID(arnIAM(acctA, "oidc-provider/"+strings.TrimPrefix(ghIssuerURL, "https://")), "extra-audience"))
	must(e.UpdateSAMLProvider(samlProvARN, oktaIdP().Metadata()))

	// A managed policy a session names, then deleted; a role and a user
	// deleted while their sessions live on.
	gone, err := e.CreateManagedPolicy("", "Gone", s3ListPolicy)
	must(err)
	temp := mustRole(t, e, RoleSpec{Name: "temp", TrustPolicy: trustAccount(acctA)})
	alice := typed(w.user.Credentials)
	tempOut, err := e.AssumeRole(alice, &sts.AssumeRoleInput{RoleArn: aws.String(temp.ARN), RoleSessionName: aws.String("gone"),
		PolicyArns: []types.PolicyDescriptorType{{Arn: aws.String(gone)}}})
	must(err)
	w.creds["a session of a deleted role"] = credsOf(tempOut.Credentials)
	must(e.DeleteManagedPolicy(gone))
	must(e.DeleteRole(temp.ARN))
	carol := mustUser(t, e, UserSpec{Name: "carol", Tags: map[string]string{"Team": "red"}})
	carolOut, err := e.GetSessionToken(typed(carol.Credentials), &sts.GetSessionTokenInput{})
	must(err)
	w.creds["a session of a deleted user"] = credsOf(carolOut.Credentials)
	must(e.DeleteAccessKey(carol.Credentials.AccessKeyID))
	w.refused["deleted user's"] = carol.Credentials
	must(e.DeleteUser(carol.ARN))

	// Through IAM's wire.
	c := newIAMClient(e, root)
	tag := func(k, v string) iamtypes.Tag { return iamtypes.Tag{Key: aws.String(k), Value: aws.String(v)} }
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave"), Path: aws.String("/ops/"),
		Tags: []iamtypes.Tag{tag("Team", "green"), tag("Old", "x")}})
	must(err)
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("dave")})
	must(err)
	_, err = c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("dave")})
	must(err)
	_, err = c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("dave"), AccessKeyId: key.AccessKey.AccessKeyId,
		Status: iamtypes.StatusTypeInactive})
	must(err)
	_, err = c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("dave"), Tags: []iamtypes.Tag{tag("Level", "3")}})
	must(err)
	_, err = c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("dave"), TagKeys: []string{"Old"}})
	must(err)
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dave"), PolicyName: aws.String("Wire"), PolicyDocument: aws.String(ec2Policy)})
	must(err)
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("wire-role"), Path: aws.String("/svc/"),
		AssumeRolePolicyDocument: aws.String(trustAccount(acctA)), Description: aws.String("made on the wire"),
		MaxSessionDuration: aws.Int32(7200), Tags: []iamtypes.Tag{tag("Env", "dev")}})
	must(err)
	_, err = c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("wire-role"), Tags: []iamtypes.Tag{tag("Tier", "1")}})
	must(err)
	_, err = c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("wire-role"), Description: aws.String("described again")})
	must(err)
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("wire-role"), PolicyName: aws.String("Inline"), PolicyDocument: aws.String(s3ListPolicy)})
	must(err)
	pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("WirePolicy"), Path: aws.String("/team/"),
		PolicyDocument: aws.String(s3ListPolicy), Description: aws.String("a wire policy"), Tags: []iamtypes.Tag{tag("Owner", "ops")}})
	must(err)
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: pol.Policy.Arn, PolicyDocument: aws.String(ec2Policy), SetAsDefault: true})
	must(err)
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("wire-role"), PolicyArn: pol.Policy.Arn})
	must(err)
	_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dave"), PolicyArn: aws.String(admin)})
	must(err)
	dev, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("dave-phone"),
		Path: aws.String("/ops/"), Tags: []iamtypes.Tag{tag("Kind", "phone")}})
	must(err)
	seed, err := base32.StdEncoding.DecodeString(string(dev.VirtualMFADevice.Base32StringSeed))
	must(err)
	step := uint64(w.clk.Now().Unix()) / 30
	_, err = c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("dave"), SerialNumber: dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String(totp(seed, step-1, 6)), AuthenticationCode2: aws.String(totp(seed, step, 6))})
	must(err)
	_, err = c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("spare")})
	must(err)
	oidc, err := c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://idp.example.com/tenant"),
		ClientIDList: []string{"app-1", "app-2"}, ThumbprintList: []string{strings.Repeat("a", 40)}, Tags: []iamtypes.Tag{tag("Idp", "corp")}})
	must(err)
	_, err = c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{
		OpenIDConnectProviderArn: oidc.OpenIDConnectProviderArn, ThumbprintList: []string{strings.Repeat("b", 40), strings.Repeat("c", 40)}})
	must(err)
	_, err = c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("wire-saml"),
		SAMLMetadataDocument: aws.String(string(oktaIdP().Metadata())), Tags: []iamtypes.Tag{tag("Idp", "okta")}})
	must(err)
	_, err = c.DisableOrganizationsRootSessions(ctx, &iam.DisableOrganizationsRootSessionsInput{})
	must(err)
}

// arnIAM is arn:aws:iam::ACCT:RESOURCE.
func arnIAM(acct, resource string) string { return "arn:aws:iam::" + acct + ":" + resource }

// marshalState returns json.Marshal of a snapshot of e.
func marshalState(t testing.TB, e *Engine) []byte {
	t.Helper()
	b, err := json.Marshal(e.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withoutJournalIDs returns a snapshot document with the journal's event
// and request IDs blanked: they are drawn from the process's randomness,
// not the engine's, so two engines doing the same calls differ in them.
func withoutJournalIDs(t testing.TB, doc []byte) []byte {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	evs, _ := m["journal"].([]any)
	for _, ev := range evs {
		ev := ev.(map[string]any)
		for _, k := range []string{"eventID", "requestID", "sharedEventID"} {
			if _, ok := ev[k]; ok {
				ev[k] = "-"
			}
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// docDiff compares two JSON documents byte for byte and, when they
// differ, shows them decoded, member by member ("" when equal).
func docDiff(want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	var a, b any
	json.Unmarshal(want, &a)
	json.Unmarshal(got, &b)
	if diff := cmp.Diff(a, b); diff != "" {
		return diff
	}
	return "the same members in different bytes"
}
