package fakests

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// These tests pin AssumeRoot (behaviour §11.4, §17) on the typed path and
// through a real client. Rows that replay a recording name it: the stackd
// captures iam/root_access.json (management account 123456789012, IAM's
// features off) and iam/root_sessions.json (management 111111111111,
// delegated administrator 222222222222, member 333333333333).

// The five task policies (behaviour §11.4).
const (
	taskAudit    = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
	taskPassword = "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword"
	taskDelete   = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials"
	taskS3       = "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"
	taskSQS      = "arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy"
)

// cmpIgnoreTokenFields ignores the token-size members, checked on their own.
var cmpIgnoreTokenFields = cmpopts.IgnoreFields(sts.AssumeRootOutput{}, "SessionTokenSize", "SessionTokenUtilization")

// rootIn is an AssumeRoot input.
func rootIn(target, task string) *sts.AssumeRootInput {
	return &sts.AssumeRootInput{TargetPrincipal: aws.String(target), TaskPolicyArn: &types.PolicyDescriptorType{Arn: aws.String(task)}}
}

// rootDenied is AssumeRoot's plain AccessDenied (no reason suffix, §10).
func rootDenied(caller, target string) *wantErr {
	return &wantErr{"AccessDenied", "User: " + caller + " is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::" + target + ":root", 403}
}

// Accounts of root_sessions.json.
const (
	rootMgmt     = "111111111111"
	rootDelegate = "222222222222"
	rootMember   = "333333333333"
)

// rootWorld is root_sessions.json's organization: an administrator user of
// the management account, the delegated administrator's
// OrganizationAccountAccessRole (trusting the management account), a plain
// member account.
type rootWorld struct {
	e        *Engine
	clk      *manualClock
	org      *Organization
	admin    *User           // management account, allowed everything
	delegate aws.Credentials // a session of the delegated administrator's role
	role     *Role
}

func newRootWorld(t *testing.T, spec OrganizationSpec, opts ...Option) *rootWorld {
	t.Helper()
	e, clk := newTestEngine(t, append([]Option{Strict()}, opts...)...)
	w := &rootWorld{e: e, clk: clk}
	spec.ManagementAccount = rootMgmt
	spec.Members = []string{rootDelegate, rootMember}
	var err error
	if w.org, err = e.CreateOrganization(spec); err != nil {
		t.Fatal(err)
	}
	w.admin = mustUser(t, e, UserSpec{Account: rootMgmt, Name: "admin", Policies: []string{adminPolicy}})
	w.role = mustRole(t, e, RoleSpec{Account: rootDelegate, Name: "OrganizationAccountAccessRole",
		TrustPolicy: trustAccount(rootMgmt), Policies: []string{adminPolicy}})
	out, err := e.AssumeRole(typed(w.admin.Credentials), &sts.AssumeRoleInput{RoleArn: aws.String(w.role.ARN),
		RoleSessionName: aws.String("stackd-root-propagation")})
	if err != nil {
		t.Fatal(err)
	}
	w.delegate = credsOf(out.Credentials)
	return w
}

// bothFeatures turns on both IAM features with the delegated administrator.
var bothFeatures = OrganizationSpec{DelegatedAdministrator: rootDelegate, RootCredentialsManagement: true, RootSessions: true}

// TestConformanceAssumeRootValidation pins AssumeRoot's validation
// (behaviour §3, §11.4): the recorded texts, the model's constraints in
// member order, and that every check runs before authorization (an
// explicitly denied caller still gets the validation error, as recorded).
func TestConformanceAssumeRootValidation(t *testing.T) {
	const srcAccess = "stackd iam/root_access.json "
	e, _ := newTestEngine(t, Strict())
	if _, err := e.CreateOrganization(OrganizationSpec{ManagementAccount: acctA, Members: []string{acctB}}); err != nil {
		t.Fatal(err)
	}
	observer := mustUser(t, e, UserSpec{Path: "/org-access/", Name: "stackd-root-access-fixture-explicit_deny_observer",
		Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListOrganizationsFeatures","iam:GetAccountProperties"],"Resource":"*"},` +
			`{"Effect":"Deny","Action":["iam:EnableOrganizationsRootCredentialsManagement","iam:DisableOrganizationsRootCredentialsManagement","iam:EnableOrganizationsRootSessions","iam:DisableOrganizationsRootSessions","organizations:*","sts:AssumeRoot"],"Resource":"*"}]}`}})
	admin := mustUser(t, e, UserSpec{Name: "original", Policies: []string{adminPolicy}})
	withDuration := func(in *sts.AssumeRootInput, d int32) *sts.AssumeRootInput {
		in.DurationSeconds = aws.Int32(d)
		return in
	}
	for _, tt := range []struct {
		name   string
		caller *User
		in     *sts.AssumeRootInput
		want   *wantErr
	}{
		{srcAccess + "assume_root_duration_over_limit", admin, withDuration(rootIn(acctA, taskAudit), 901),
			&wantErr{"ValidationError", "1 validation error detected: Value '901' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900", 400}},
		{srcAccess + "assume_root_invalid_task_policy", admin, rootIn(acctA, "arn:aws:iam::aws:policy/ReadOnlyAccess"),
			&wantErr{"ValidationError", "Request must contain valid AWS managed task policy ARN", 400}},
		{srcAccess + "assume_root_task_policy_missing_arn", admin, &sts.AssumeRootInput{TargetPrincipal: aws.String(acctA), TaskPolicyArn: &types.PolicyDescriptorType{}},
			&wantErr{"ValidationError", "1 validation error detected: Value null at 'taskPolicyArn' failed to satisfy constraint: Member must not be null", 400}},
		{srcAccess + "assume_root_owned_user_arn", admin, rootIn(observer.ARN, taskAudit),
			&wantErr{"ValidationError", "Request must contain a valid target principal", 400}},
		{"validation before authorization: the explicitly denied observer", observer, withDuration(rootIn(acctA, taskAudit), 901),
			&wantErr{"ValidationError", "1 validation error detected: Value '901' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900", 400}},
		// The model's constraints (botocore: targetPrincipal 12–2048,
		// taskPolicyArn.arn an arnType of 20–2048, durationSeconds 0–900).
		{"a TargetPrincipal shorter than 12", admin, rootIn("12345", taskAudit),
			&wantErr{"ValidationError", "1 validation error detected: Value '12345' at 'targetPrincipal' failed to satisfy constraint: Member must have length greater than or equal to 12", 400}},
		{"a task policy ARN shorter than 20", admin, rootIn(acctA, "arn:aws:iam::aws:x"),
			&wantErr{"ValidationError", "1 validation error detected: Value 'arn:aws:iam::aws:x' at 'taskPolicyArn.arn' failed to satisfy constraint: Member must have length greater than or equal to 20", 400}},
		{"a negative DurationSeconds", admin, withDuration(rootIn(acctA, taskAudit), -1),
			&wantErr{"ValidationError", "1 validation error detected: Value '-1' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 0", 400}},
		{"two violations in member order", admin, withDuration(rootIn("1234", taskAudit), 1000),
			&wantErr{"ValidationError", "2 validation errors detected: Value '1234' at 'targetPrincipal' failed to satisfy constraint: Member must have length greater than or equal to 12; " +
				"Value '1000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900", 400}},
		// fakests' choices (behaviour §11.4): the target's form before the
		// task policy's; a 13-digit ID and another partition are no target.
		{"an invalid target and task policy: the target first", admin, rootIn("arn:aws:iam::123456789012:user/x", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
			&wantErr{"ValidationError", "Request must contain a valid target principal", 400}},
		{"a 13-digit target", admin, rootIn("1234567890123", taskAudit),
			&wantErr{"ValidationError", "Request must contain a valid target principal", 400}},
		{"a root ARN of another partition", admin, rootIn("arn:aws-cn:iam::123456789012:root", taskAudit),
			&wantErr{"ValidationError", "Request must contain a valid target principal", 400}},
		{"a task policy ARN in another case", admin, rootIn(acctA, strings.ToLower(taskAudit)),
			&wantErr{"ValidationError", "Request must contain valid AWS managed task policy ARN", 400}},
	} {
		for _, p := range paths(e) {
			t.Run(tt.name+"/"+p.name, func(t *testing.T) {
				api, ctx := p.api(tt.caller.Credentials)
				_, err := api.AssumeRoot(ctx, tt.in)
				checkErr(t, err, tt.want)
			})
		}
	}
	// A missing TargetPrincipal: the Go SDK refuses to send it, the engine
	// reports it as AWS would.
	_, err := e.AssumeRoot(typed(admin.Credentials), &sts.AssumeRootInput{TaskPolicyArn: &types.PolicyDescriptorType{Arn: aws.String(taskAudit)}})
	checkErr(t, err, &wantErr{"ValidationError", "1 validation error detected: Value null at 'targetPrincipal' failed to satisfy constraint: Member must not be null", 400})
}

// TestConformanceAssumeRootDenied pins the plain AccessDenied (behaviour
// §10, §11.4): the same text whether the caller is denied explicitly, the
// target is the management account itself, the caller's account is neither
// the management account nor the delegated administrator, or anything else
// about the caller, the target or the permission is wrong.
func TestConformanceAssumeRootDenied(t *testing.T) {
	const srcAccess = "stackd iam/root_access.json "
	const srcSessions = "stackd iam/root_sessions.json "
	t.Run("root_access.json", func(t *testing.T) {
		e, _ := newTestEngine(t, Strict())
		if _, err := e.CreateOrganization(OrganizationSpec{ManagementAccount: acctA, Members: []string{acctB}}); err != nil {
			t.Fatal(err)
		}
		observer := mustUser(t, e, UserSpec{Path: "/org-access/", Name: "stackd-root-access-fixture-explicit_deny_observer",
			Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["organizations:*","sts:AssumeRoot"],"Resource":"*"}]}`}})
		original := mustUser(t, e, UserSpec{Name: "original", Policies: []string{adminPolicy}})
		for _, tt := range []struct {
			name   string
			caller *User
			in     *sts.AssumeRootInput
		}{
			{srcAccess + "assume_root_observer_denied", observer, rootIn(acctA, taskAudit)},
			{srcAccess + "assume_root_management_id", original, rootIn(acctA, taskAudit)},
			{srcAccess + "assume_root_management_root_arn", original, rootIn("arn:aws:iam::123456789012:root", taskAudit)},
			{srcAccess + "assume_root_duration_zero", original, &sts.AssumeRootInput{TargetPrincipal: aws.String(acctA),
				TaskPolicyArn: &types.PolicyDescriptorType{Arn: aws.String(taskAudit)}, DurationSeconds: aws.Int32(0)}},
			// With the features off, a member is refused by the feature, not here;
			// the explicit deny comes first (fakests' order, behaviour §11.4).
			{"an explicit deny on a member target", observer, rootIn(acctB, taskAudit)},
		} {
			for _, p := range paths(e) {
				t.Run(tt.name+"/"+p.name, func(t *testing.T) {
					api, ctx := p.api(tt.caller.Credentials)
					_, err := api.AssumeRoot(ctx, tt.in)
					target, _ := rootTarget(*tt.in.TargetPrincipal)
					checkErr(t, err, rootDenied(tt.caller.ARN, target))
				})
			}
		}
		if got := observer.ARN; got != "arn:aws:iam::123456789012:user/org-access/stackd-root-access-fixture-explicit_deny_observer" {
			t.Errorf("observer ARN %s differs from the recording's", got)
		}
	})

	t.Run("root_sessions.json", func(t *testing.T) {
		// The delegation removed: the role session of the former delegated
		// administrator is refused (delegate_session_after_0s).
		w := newRootWorld(t, OrganizationSpec{RootCredentialsManagement: true, RootSessions: true})
		for _, p := range paths(w.e) {
			t.Run(srcSessions+"delegate_session_after_0s/"+p.name, func(t *testing.T) {
				api, ctx := p.api(w.delegate)
				_, err := api.AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String(rootMember),
					TaskPolicyArn: &types.PolicyDescriptorType{Arn: aws.String(taskAudit)}, DurationSeconds: aws.Int32(900)})
				checkErr(t, err, &wantErr{"AccessDenied", "User: arn:aws:sts::222222222222:assumed-role/OrganizationAccountAccessRole/stackd-root-propagation is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::333333333333:root", 403})
			})
		}
	})

	t.Run("every other refusal", func(t *testing.T) {
		w := newRootWorld(t, bothFeatures)
		e := w.e
		fed, err := e.GetFederationToken(typed(w.admin.Credentials), &sts.GetFederationTokenInput{Name: aws.String("fed"), Policy: aws.String(adminPolicy)})
		if err != nil {
			t.Fatal(err)
		}
		noPerm := mustUser(t, e, UserSpec{Account: rootMgmt, Name: "no-perm"})
		auditOnly := mustUser(t, e, UserSpec{Account: rootMgmt, Name: "audit-only", Policies: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Action":"sts:AssumeRoot","Resource":"arn:aws:iam::333333333333:root","Condition":{"StringEquals":{"sts:TaskPolicyArn":"` + taskAudit + `"}}}]}`}})
		memberUser := mustUser(t, e, UserSpec{Account: rootMember, Name: "member-admin", Policies: []string{adminPolicy}})
		stranger := mustUser(t, e, UserSpec{Account: "999999999999", Name: "stranger", Policies: []string{adminPolicy}})
		rootARN := "arn:aws:iam::111111111111:root"
		for _, tt := range []struct {
			name      string
			creds     aws.Credentials
			callerARN string
			in        *sts.AssumeRootInput
		}{
			{"the management account's root credentials", e.RootCredentials(rootMgmt), rootARN, rootIn(rootMember, taskAudit)},
			{"a federated user of the management account", credsOf(fed.Credentials), "arn:aws:sts::111111111111:federated-user/fed", rootIn(rootMember, taskAudit)},
			{"no identity policy allows sts:AssumeRoot", noPerm.Credentials, noPerm.ARN, rootIn(rootMember, taskAudit)},
			{"sts:TaskPolicyArn does not match", auditOnly.Credentials, auditOnly.ARN, rootIn(rootMember, taskDelete)},
			{"the resource does not match", auditOnly.Credentials, auditOnly.ARN, rootIn(rootDelegate, taskAudit)},
			{"a caller in a member account", memberUser.Credentials, memberUser.ARN, rootIn(rootDelegate, taskAudit)},
			{"a caller in no organization", stranger.Credentials, stranger.ARN, rootIn(rootMember, taskAudit)},
			{"a target in no organization", w.admin.Credentials, w.admin.ARN, rootIn("999999999999", taskAudit)},
			{"the delegated administrator targets the management account", w.delegate, "arn:aws:sts::222222222222:assumed-role/OrganizationAccountAccessRole/stackd-root-propagation", rootIn(rootMgmt, taskAudit)},
		} {
			for _, p := range paths(e) {
				t.Run(tt.name+"/"+p.name, func(t *testing.T) {
					before := e.SessionCount()
					api, ctx := p.api(tt.creds)
					_, err := api.AssumeRoot(ctx, tt.in)
					target, _ := rootTarget(*tt.in.TargetPrincipal)
					checkErr(t, err, rootDenied(tt.callerARN, target))
					if n := e.SessionCount(); n != before {
						t.Errorf("a refused AssumeRoot left %d sessions", n-before)
					}
				})
			}
		}
		// The same user allowed for the audit task only.
		_, err = e.AssumeRoot(typed(auditOnly.Credentials), rootIn(rootMember, taskAudit))
		checkErr(t, err, nil)
		// A target in another organization.
		if _, err := e.CreateOrganization(OrganizationSpec{ManagementAccount: "444444444444", Members: []string{"555555555555"}}); err != nil {
			t.Fatal(err)
		}
		_, err = e.AssumeRoot(typed(w.admin.Credentials), rootIn("555555555555", taskAudit))
		checkErr(t, err, rootDenied(w.admin.ARN, "555555555555"))
	})
}

// TestConformanceAssumeRootFeatures replays root_sessions.json's feature
// checks (behaviour §17): RootCredentialsManagement gates the three IAM
// tasks, RootSessions the two unlock tasks, each refused with its own text.
func TestConformanceAssumeRootFeatures(t *testing.T) {
	const src = "stackd iam/root_sessions.json "
	credsOff := &wantErr{"AccessDenied", "Root credentials management feature is not enabled for your AWS Organization.", 403}
	sessionsOff := &wantErr{"AccessDenied", "Root sessions feature is not enabled for your AWS Organization.", 403}
	for _, tt := range []struct {
		name                  string
		credentials, sessions bool
		want                  map[string]*wantErr
	}{
		{src + "credentials_only_*", true, false, map[string]*wantErr{taskAudit: nil, taskDelete: nil, taskPassword: nil, taskS3: sessionsOff, taskSQS: sessionsOff}},
		{src + "sessions_only_*", false, true, map[string]*wantErr{taskAudit: credsOff, taskDelete: credsOff, taskPassword: credsOff, taskS3: nil, taskSQS: nil}},
		{src + "new_session_after_disable (both off)", false, false, map[string]*wantErr{taskAudit: credsOff, taskS3: sessionsOff}},
		{src + "audit_enabled (both on)", true, true, map[string]*wantErr{taskAudit: nil, taskDelete: nil, taskPassword: nil, taskS3: nil, taskSQS: nil}},
	} {
		w := newRootWorld(t, OrganizationSpec{DelegatedAdministrator: rootDelegate, RootCredentialsManagement: tt.credentials, RootSessions: tt.sessions})
		for task, want := range tt.want {
			for _, p := range paths(w.e) {
				name := tt.name + "/" + task[strings.LastIndexByte(task, '/')+1:] + "/" + p.name
				t.Run(name, func(t *testing.T) {
					for _, creds := range []aws.Credentials{w.admin.Credentials, w.delegate} {
						api, ctx := p.api(creds)
						in := rootIn(rootMember, task)
						in.DurationSeconds = aws.Int32(900)
						_, err := api.AssumeRoot(ctx, in)
						checkErr(t, err, want)
					}
				})
			}
		}
	}
}

// TestConformanceAssumeRootSession pins the session (behaviour §2.5,
// §11.4): Credentials only (SourceIdentity when the caller has one), an
// Expiration of issue time plus DurationSeconds in whole seconds (default
// 900; 0 taken as the default, fakests' choice), and the member's root as
// its identity, UserId the account ID, as IAM's GetUser showed. Root may not
// assume roles, and session credentials may not call GetSessionToken.
func TestConformanceAssumeRootSession(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newRootWorld(t, bothFeatures)
			w.clk.Advance(1500 * time.Millisecond) // whole seconds, truncated
			api, ctx := paths(w.e).byName(p.name).api(w.admin.Credentials)
			for _, tt := range []struct {
				duration *int32
				want     time.Duration
			}{
				{nil, 900 * time.Second},
				{aws.Int32(900), 900 * time.Second},
				{aws.Int32(300), 300 * time.Second},
				{aws.Int32(0), 900 * time.Second},
			} {
				in := rootIn(rootMember, taskAudit)
				in.DurationSeconds = tt.duration
				out, err := api.AssumeRoot(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				want := &sts.AssumeRootOutput{Credentials: &types.Credentials{Expiration: aws.Time(testEpoch.Add(time.Second + tt.want))}}
				if diff := cmp.Diff(want, out, sdkOpts, ignoreSecrets, cmpIgnoreTokenFields); diff != "" {
					t.Errorf("DurationSeconds %v (-want +got):\n%s", aws.ToInt32(tt.duration), diff)
				}
				checkCredShape(t, out.Credentials, rootMember)
				checkTokenFields(t, out.Credentials, out.SessionTokenSize, out.SessionTokenUtilization)
			}

			out, err := api.AssumeRoot(ctx, rootIn("arn:aws:iam::333333333333:root", taskDelete))
			if err != nil {
				t.Fatal(err)
			}
			rootAPI, rootCtx := paths(w.e).byName(p.name).api(credsOf(out.Credentials))
			id, err := rootAPI.GetCallerIdentity(rootCtx, &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			wantID := &sts.GetCallerIdentityOutput{Account: aws.String(rootMember), Arn: aws.String("arn:aws:iam::333333333333:root"), UserId: aws.String(rootMember)}
			if diff := cmp.Diff(wantID, id, sdkOpts); diff != "" {
				t.Errorf("GetCallerIdentity of the root session (-want +got):\n%s", diff)
			}
			_, err = rootAPI.AssumeRole(rootCtx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::333333333333:role/any"), RoleSessionName: aws.String("root-hop")})
			checkErr(t, err, &wantErr{"AccessDenied", "Roles may not be assumed by root accounts.", 403})
			_, err = rootAPI.GetSessionToken(rootCtx, &sts.GetSessionTokenInput{})
			checkErr(t, err, &wantErr{"AccessDenied", "Cannot call GetSessionToken with session credentials", 403})
			_, err = rootAPI.AssumeRoot(rootCtx, rootIn(rootMember, taskAudit))
			checkErr(t, err, rootDenied("arn:aws:iam::333333333333:root", rootMember))

			// A caller with a source identity passes it on.
			si, err := w.e.AssumeRole(typed(w.admin.Credentials), &sts.AssumeRoleInput{RoleArn: aws.String(w.role.ARN),
				RoleSessionName: aws.String("with-si"), SourceIdentity: aws.String("alice")})
			if err != nil {
				t.Fatal(err)
			}
			siAPI, siCtx := paths(w.e).byName(p.name).api(credsOf(si.Credentials))
			out, err = siAPI.AssumeRoot(siCtx, rootIn(rootMember, taskS3))
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(out.SourceIdentity); got != "alice" {
				t.Errorf("SourceIdentity %q, want alice", got)
			}
		})
	}
}

// TestAssumeRootAuthorize pins what a root session may do (behaviour §11.4,
// §17): its requests carry aws:AssumedRoot = true, its root user may do
// anything its task policy does not deny, and the task policies deny as AWS
// publishes them.
func TestAssumeRootAuthorize(t *testing.T) {
	w := newRootWorld(t, bothFeatures)
	e := w.e
	session := func(task string) *Principal {
		t.Helper()
		out, err := e.AssumeRoot(typed(w.admin.Credentials), rootIn(rootMember, task))
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.Principal(credsOf(out.Credentials))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	const rootRes = "arn:aws:iam::333333333333:root"
	const userRes = "arn:aws:iam::333333333333:user/bob"
	for _, tt := range []struct {
		task, action, resource string
		context                map[string][]string
		allowed                bool
	}{
		{taskAudit, "iam:ListAccessKeys", rootRes, nil, true},
		{taskAudit, "iam:GetAccountSummary", "*", nil, true},
		{taskAudit, "iam:ListAccessKeys", userRes, nil, false},
		{taskAudit, "iam:DeleteAccessKey", rootRes, nil, false},
		{taskAudit, "s3:GetObject", "arn:aws:s3:::b/k", nil, false},
		{taskPassword, "iam:CreateLoginProfile", rootRes, nil, true},
		{taskPassword, "iam:CreateLoginProfile", userRes, nil, false},
		{taskDelete, "iam:DeleteAccessKey", rootRes, nil, true},
		{taskDelete, "iam:CreateLoginProfile", rootRes, nil, false},
		{taskS3, "s3:PutBucketPolicy", "arn:aws:s3:::locked", nil, true},
		{taskS3, "s3:DeleteBucketPolicy", "arn:aws:s3:::locked", nil, true},
		{taskS3, "s3:GetObject", "arn:aws:s3:::locked/k", nil, false},
		{taskSQS, "sqs:SetQueueAttributes", "arn:aws:sqs:us-east-1:333333333333:q", nil, true},
		{taskSQS, "sqs:GetQueueAttributes", "arn:aws:sqs:us-east-1:333333333333:q", map[string][]string{"aws:ResourceAccount": {rootMember}}, true},
		// aws:ResourceAccount comes from the queue ARN when not passed.
		{taskSQS, "sqs:GetQueueAttributes", "arn:aws:sqs:us-east-1:333333333333:q", nil, true},
		{taskSQS, "sqs:GetQueueAttributes", "arn:aws:sqs:us-east-1:444444444444:q", nil, false},
		{taskSQS, "sqs:GetQueueAttributes", "arn:aws:sqs:us-east-1:444444444444:q", map[string][]string{"aws:ResourceAccount": {"444444444444"}}, false},
		{taskSQS, "sqs:SendMessage", "arn:aws:sqs:us-east-1:333333333333:q", nil, false},
	} {
		name := tt.task[strings.LastIndexByte(tt.task, '/')+1:] + " " + tt.action + " on " + tt.resource
		t.Run(name, func(t *testing.T) {
			p := session(tt.task)
			d, err := e.Authorize(context.Background(), p, Request{Action: tt.action, Resource: tt.resource, Context: tt.context})
			if err != nil {
				t.Fatal(err)
			}
			if d.Allowed != tt.allowed || d.ExplicitDeny == tt.allowed {
				t.Errorf("allowed %v, explicit deny %v; want allowed %v: %s", d.Allowed, d.ExplicitDeny, tt.allowed, strings.Join(d.Reasons, "; "))
			}
			got := []string{d.Context["aws:AssumedRoot"][0], d.Context["aws:PrincipalArn"][0], d.Context["aws:PrincipalType"][0], d.Context["aws:PrincipalOrgID"][0]}
			want := []string{"true", rootRes, "Account", w.org.ID}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("context (-want +got):\n%s", diff)
			}
		})
	}

	// Inside STS the ceiling holds too: the audit task does not allow
	// sts:DecodeAuthorizationMessage.
	out, err := e.AssumeRoot(typed(w.admin.Credentials), rootIn(rootMember, taskAudit))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths(e) {
		t.Run("DecodeAuthorizationMessage/"+p.name, func(t *testing.T) {
			api, ctx := p.api(credsOf(out.Credentials))
			_, err := api.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String("m")})
			checkErr(t, err, &wantErr{"AccessDenied", "User: arn:aws:iam::333333333333:root is not authorized to perform: sts:DecodeAuthorizationMessage on resource: *", 403})
		})
	}
}

// TestAssumeRootRegions pins AssumeRoot in the region model (behaviour
// §13): the member's opt-in region disabled is the plain denial, STS
// deactivated in the member's account RegionDisabledException (typed, as
// AssumeRoot's model lists it), the caller's region disabled
// InvalidClientTokenId.
func TestAssumeRootRegions(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			w := newRootWorld(t, bothFeatures)
			e := w.e
			api, ctx := paths(e).byName(p.name).api(w.admin.Credentials)
			in := rootIn(rootMember, taskAudit)
			if err := e.EnableRegion(rootMgmt, "eu-south-1"); err != nil {
				t.Fatal(err)
			}
			_, err := api.AssumeRoot(ctx, in, inRegion("eu-south-1"))
			checkErr(t, err, rootDenied(w.admin.ARN, rootMember))
			_, err = api.AssumeRoot(ctx, in, inRegion("eu-south-2"))
			checkErr(t, err, &wantErr{"InvalidClientTokenId", "The security token included in the request is invalid", 403})
			if err := e.EnableRegion(rootMember, "eu-south-1"); err != nil {
				t.Fatal(err)
			}
			_, err = api.AssumeRoot(ctx, in, inRegion("eu-south-1"))
			checkErr(t, err, nil)

			if err := e.DeactivateSTSRegion(rootMember, "ap-northeast-3"); err != nil {
				t.Fatal(err)
			}
			_, err = api.AssumeRoot(ctx, in, inRegion("ap-northeast-3"))
			checkErr(t, err, &wantErr{"RegionDisabledException", "STS is not activated in this region for account:333333333333. Your account administrator can activate STS in this region using the IAM Console.", 403})
			var typed *types.RegionDisabledException
			if !errors.As(err, &typed) {
				t.Errorf("%T, want *types.RegionDisabledException", err)
			}
		})
	}
}

// FuzzRootTarget feeds AssumeRoot's TargetPrincipal parser arbitrary
// values: it never panics, and what it accepts is an account ID.
func FuzzRootTarget(f *testing.F) {
	for _, s := range []string{"123456789012", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:user/x", "arn:aws:iam:::root", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if acct, ok := rootTarget(s); ok && !isAccountID(acct) {
			t.Errorf("%q: accepted %q, not an account ID", s, acct)
		}
	})
}
