package fakests

import (
	"context"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/internal/iamquery"
)

// This file is IAM's control plane on the wire (behaviour §18): the
// Handler and the client adapter hand a request whose Version is IAM's
// (2010-05-08), or whose signature is scoped to the service iam, to
// serveIAM, which decodes it into the SDK's service/iam input type,
// authenticates it as IAM does (SigV4 for the service iam), runs the
// operation (iam_ops_*.go) and answers IAM's XML. Every operation is
// authorized with the same policy engine as the rest (iam_authz.go).

// iamOp is one IAM operation the wire serves.
type iamOp struct {
	newInput func() any
	run      func(e *Engine, ctx context.Context, c *apiCall, in any) (any, error)
	// noOutput marks the operations whose model has no output: they answer
	// the response element with its metadata only.
	noOutput bool
	// outType is the SDK's output type (for the model test).
	outType reflect.Type
}

// iamOpOf wraps an operation function of the engine.
func iamOpOf[In, Out any](fn func(*Engine, context.Context, *apiCall, *In) (*Out, error)) iamOp {
	return iamOp{
		newInput: func() any { return new(In) },
		run: func(e *Engine, ctx context.Context, c *apiCall, in any) (any, error) {
			return fn(e, ctx, c, in.(*In))
		},
		outType: reflect.TypeOf((*Out)(nil)).Elem(),
	}
}

// iamOpNoOutput is iamOpOf for an operation without output.
func iamOpNoOutput[In, Out any](fn func(*Engine, context.Context, *apiCall, *In) (*Out, error)) iamOp {
	op := iamOpOf(fn)
	op.noOutput = true
	return op
}

// iamOps are the operations of IAM's control plane fakests serves, by
// Action. Any other Action is InvalidAction.
var iamOps = map[string]iamOp{
	opCreateUser:                  iamOpOf((*Engine).iamCreateUser),
	opGetUser:                     iamOpOf((*Engine).iamGetUser),
	opListUsers:                   iamOpOf((*Engine).iamListUsers),
	opDeleteUser:                  iamOpNoOutput((*Engine).iamDeleteUser),
	opTagUser:                     iamOpNoOutput((*Engine).iamTagUser),
	opUntagUser:                   iamOpNoOutput((*Engine).iamUntagUser),
	opListUserTags:                iamOpOf((*Engine).iamListUserTags),
	opCreateAccessKey:             iamOpOf((*Engine).iamCreateAccessKey),
	opListAccessKeys:              iamOpOf((*Engine).iamListAccessKeys),
	opUpdateAccessKey:             iamOpNoOutput((*Engine).iamUpdateAccessKey),
	opDeleteAccessKey:             iamOpNoOutput((*Engine).iamDeleteAccessKey),
	opCreateRole:                  iamOpOf((*Engine).iamCreateRole),
	opGetRole:                     iamOpOf((*Engine).iamGetRole),
	opListRoles:                   iamOpOf((*Engine).iamListRoles),
	opUpdateRole:                  iamOpOf((*Engine).iamUpdateRole),
	opUpdateRoleDescription:       iamOpOf((*Engine).iamUpdateRoleDescription),
	opUpdateAssumeRolePolicy:      iamOpNoOutput((*Engine).iamUpdateAssumeRolePolicy),
	opTagRole:                     iamOpNoOutput((*Engine).iamTagRole),
	opUntagRole:                   iamOpNoOutput((*Engine).iamUntagRole),
	opListRoleTags:                iamOpOf((*Engine).iamListRoleTags),
	opDeleteRole:                  iamOpNoOutput((*Engine).iamDeleteRole),
	opListInstanceProfilesForRole: iamOpOf((*Engine).iamListInstanceProfilesForRole),
	opPutUserPolicy:               iamOpNoOutput((*Engine).iamPutUserPolicy),
	opGetUserPolicy:               iamOpOf((*Engine).iamGetUserPolicy),
	opListUserPolicies:            iamOpOf((*Engine).iamListUserPolicies),
	opDeleteUserPolicy:            iamOpNoOutput((*Engine).iamDeleteUserPolicy),
	opPutRolePolicy:               iamOpNoOutput((*Engine).iamPutRolePolicy),
	opGetRolePolicy:               iamOpOf((*Engine).iamGetRolePolicy),
	opListRolePolicies:            iamOpOf((*Engine).iamListRolePolicies),
	opDeleteRolePolicy:            iamOpNoOutput((*Engine).iamDeleteRolePolicy),
	opCreatePolicy:                iamOpOf((*Engine).iamCreatePolicy),
	opGetPolicy:                   iamOpOf((*Engine).iamGetPolicy),
	opGetPolicyVersion:            iamOpOf((*Engine).iamGetPolicyVersion),
	opCreatePolicyVersion:         iamOpOf((*Engine).iamCreatePolicyVersion),
	opListPolicyVersions:          iamOpOf((*Engine).iamListPolicyVersions),
	opSetDefaultPolicyVersion:     iamOpNoOutput((*Engine).iamSetDefaultPolicyVersion),
	opDeletePolicyVersion:         iamOpNoOutput((*Engine).iamDeletePolicyVersion),
	opDeletePolicy:                iamOpNoOutput((*Engine).iamDeletePolicy),
	opListPolicies:                iamOpOf((*Engine).iamListPolicies),
	opAttachUserPolicy:            iamOpNoOutput((*Engine).iamAttachUserPolicy),
	opDetachUserPolicy:            iamOpNoOutput((*Engine).iamDetachUserPolicy),
	opListAttachedUserPolicies:    iamOpOf((*Engine).iamListAttachedUserPolicies),
	opAttachRolePolicy:            iamOpNoOutput((*Engine).iamAttachRolePolicy),
	opDetachRolePolicy:            iamOpNoOutput((*Engine).iamDetachRolePolicy),
	opListAttachedRolePolicies:    iamOpOf((*Engine).iamListAttachedRolePolicies),
	opCreateOIDCProvider:          iamOpOf((*Engine).iamCreateOIDCProvider),
	opGetOIDCProvider:             iamOpOf((*Engine).iamGetOIDCProvider),
	opListOIDCProviders:           iamOpOf((*Engine).iamListOIDCProviders),
	opDeleteOIDCProvider:          iamOpNoOutput((*Engine).iamDeleteOIDCProvider),
	opAddClientID:                 iamOpNoOutput((*Engine).iamAddClientID),
	opRemoveClientID:              iamOpNoOutput((*Engine).iamRemoveClientID),
	opUpdateThumbprint:            iamOpNoOutput((*Engine).iamUpdateThumbprint),
	opCreateSAMLProvider:          iamOpOf((*Engine).iamCreateSAMLProvider),
	opGetSAMLProvider:             iamOpOf((*Engine).iamGetSAMLProvider),
	opListSAMLProviders:           iamOpOf((*Engine).iamListSAMLProviders),
	opUpdateSAMLProvider:          iamOpOf((*Engine).iamUpdateSAMLProvider),
	opDeleteSAMLProvider:          iamOpNoOutput((*Engine).iamDeleteSAMLProvider),
	opCreateVirtualMFADevice:      iamOpOf((*Engine).iamCreateVirtualMFADevice),
	opEnableMFADevice:             iamOpNoOutput((*Engine).iamEnableMFADevice),
	opListMFADevices:              iamOpOf((*Engine).iamListMFADevices),
	opListVirtualMFADevices:       iamOpOf((*Engine).iamListVirtualMFADevices),
	opDeactivateMFADevice:         iamOpNoOutput((*Engine).iamDeactivateMFADevice),
	opDeleteVirtualMFADevice:      iamOpNoOutput((*Engine).iamDeleteVirtualMFADevice),
	opListOrganizationsFeatures:   iamOpOf((*Engine).iamListOrganizationsFeatures),
	opEnableRootCredentials:       iamOpOf((*Engine).iamEnableRootCredentials),
	opDisableRootCredentials:      iamOpOf((*Engine).iamDisableRootCredentials),
	opEnableRootSessions:          iamOpOf((*Engine).iamEnableRootSessions),
	opDisableRootSessions:         iamOpOf((*Engine).iamDisableRootSessions),
	opEnableOutbound:              iamOpOf((*Engine).iamEnableOutbound),
	opDisableOutbound:             iamOpNoOutput((*Engine).iamDisableOutbound),
	opGetOutboundInfo:             iamOpOf((*Engine).iamGetOutboundInfo),
}

// iamGlobalHost is IAM's endpoint in the aws partition; requests to it are
// signed for us-east-1 (behaviour §18).
const iamGlobalHost = "iam.amazonaws.com"

// isIAMRequest reports whether a decoded request form is for IAM: its
// Version is IAM's, or its signature is scoped to the service iam
// (behaviour §18).
func isIAMRequest(r *http.Request, form url.Values) bool {
	if v := form["Version"]; len(v) > 0 {
		if v[0] == iamquery.Version {
			return true
		}
	}
	return signedService(r, form) == "iam"
}

// signedService returns the service of a request's SigV4 credential scope
// (Authorization header or X-Amz-Credential), or "" when it has none. It
// only peeks: the signature is verified later.
func signedService(r *http.Request, form url.Values) string {
	cred := ""
	if auth := r.Header.Get("Authorization"); auth != "" {
		_, rest, ok := strings.Cut(auth, "Credential=")
		if !ok {
			return ""
		}
		cred, _, _ = strings.Cut(rest, ",")
	} else if v := form["X-Amz-Credential"]; len(v) > 0 {
		cred = v[0]
	}
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) != 5 {
		return ""
	}
	return parts[3]
}

// serveIAM answers one IAM request whose form is already parsed into w,
// which serveWire has started.
func (e *Engine) serveIAM(ctx context.Context, r *http.Request, body []byte, form url.Values, w *response) {
	w.json = false // IAM answers XML whatever the Accept header says (choice)
	action, err := iamquery.Action(form)
	if err != nil {
		w.failIAM(err)
		return
	}
	op, ok := iamOps[action]
	if !ok {
		w.failIAM(iamquery.ErrInvalidAction(action, iamquery.Version))
		return
	}
	in := op.newInput()
	if err := iamquery.Decode(form, in); err != nil {
		w.failIAM(err)
		return
	}
	c := &apiCall{op: action, requestID: w.requestID, in: in, req: r}
	if err := e.authenticateIAM(c, r, body); err != nil {
		e.record(ctx, c, nil, err) // journal.go
		w.failIAM(err)
		return
	}
	ctx = withRequestInfo(ctx, requestInfoOf(r))
	out, err := e.serveIAMCall(ctx, c, op)
	if err != nil {
		w.failIAM(err)
		return
	}
	if op.noOutput {
		w.body = iamquery.AppendEmpty((*w.buf)[:0], action, w.requestID)
	} else if w.body, err = iamquery.AppendResult((*w.buf)[:0], action, out, w.requestID); err != nil {
		w.failIAM(err)
		return
	}
	w.status = http.StatusOK
}

// serveIAMCall runs an authenticated IAM call in the frame of call.go: the
// faults that match it (InjectFault), the model's validation, the
// operation, and the journal.
func (e *Engine) serveIAMCall(ctx context.Context, c *apiCall, op iamOp) (any, error) {
	if err := e.injectFault(ctx, c); err != nil {
		if !isCanceled(err) {
			e.record(ctx, c, nil, err)
		}
		return nil, err
	}
	out, err := any(nil), validateIAMInput(c.op, c.in)
	if err == nil {
		out, err = op.run(e, ctx, c, c.in)
	}
	e.record(ctx, c, out, err)
	return out, err
}

// failIAM encodes err as IAM's ErrorResponse; a call abandoned because its
// context ended during an injected delay is aborted instead, as on STS's
// wire.
func (w *response) failIAM(err error) {
	if isCanceled(err) {
		w.abort = err
		return
	}
	ae := apierror.From(err)
	w.status = ae.Status
	w.body = iamquery.AppendError((*w.buf)[:0], ae.WireFault(), ae.Code, ae.Message, w.requestID)
}

// authenticateIAM sets the caller of the IAM call c: the principal that
// signed r for the service iam. IAM's endpoint, iam.amazonaws.com, takes
// signatures for us-east-1 only; any other host (a test server's),
// signatures for any region the engine serves, as clients with a custom
// endpoint sign for their own region (behaviour §18). Every IAM operation
// is signed; an unsigned request is MissingAuthenticationToken.
func (e *Engine) authenticateIAM(c *apiCall, r *http.Request, body []byte) error {
	regions := e.served
	host := requestHost(r)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if strings.EqualFold(strings.TrimSuffix(host, "."), iamGlobalHost) {
		regions = []string{globalSigningRegion}
	}
	p, _, bodySigned, err := e.verifySigned(r, body, "iam", regions...)
	if err != nil {
		return err
	}
	if !bodySigned && r.Method != http.MethodGet {
		return newError(apierror.CodeSignatureDoesNotMatch, msgSignatureDoesNotMatch)
	}
	if s := p.sess; s != nil && !iamAcceptsSession(s) {
		return newError(apierror.CodeInvalidClientTokenID, msgIAMSessionRefused)
	}
	// IAM is global: its requests are in us-east-1 whatever region a client
	// signed for (aws:RequestedRegion, the journal's awsRegion).
	p.region = globalSigningRegion
	c.principal, c.region = p, globalSigningRegion
	return nil
}

// iamAcceptsSession reports whether IAM takes requests signed with the
// temporary credentials of s: not those of GetSessionToken unless MFA was
// proven (reported: InvalidClientTokenId), nor those of GetFederationToken
// (documented; the answer is fakests' choice), behaviour §18.3.
func iamAcceptsSession(s *sessionInfo) bool {
	switch s.origin {
	case opGetSessionToken:
		return !s.mfaAt.IsZero()
	case opGetFederationToken:
		return false
	}
	return true
}

// iamEventSource is the eventSource of IAM's CloudTrail events.
const iamEventSource = "iam.amazonaws.com"

// iamReadOnly reports whether an IAM operation only reads (CloudTrail's
// readOnly): its name starts with Get or List.
func iamReadOnly(op string) bool {
	return strings.HasPrefix(op, "Get") || strings.HasPrefix(op, "List")
}

// isIAMOp reports whether op is an operation of IAM's control plane.
func isIAMOp(op string) bool {
	_, ok := iamOps[op]
	return ok
}

// iamServiceID is the service ID the client adapter routes besides STS's.
const iamServiceID = iam.ServiceID

// defaultMaxItems is the page size of IAM's list operations when MaxItems
// is not given (IAM API reference).
const defaultMaxItems = 100

// markerPrefix starts every marker fakests hands out, so that a marker it
// did not make is refused.
const markerPrefix = "fakests:"

// paginate returns the page of items (sorted by key) that Marker and
// MaxItems ask for, and the marker of the next page when there is one. A
// marker is the opaque key of the next page's first item, so a listing
// stays consistent while items come and go; one fakests did not hand out
// is ValidationError "Invalid Marker." (LocalStack, behaviour §18).
func paginate[T any](items []T, key func(T) string, marker *string, maxItems *int32) (page []T, next *string, err error) {
	limit := defaultMaxItems
	if maxItems != nil {
		limit = int(*maxItems)
	}
	start := 0
	if marker != nil {
		raw, derr := base64.RawURLEncoding.DecodeString(*marker)
		from, ok := strings.CutPrefix(string(raw), markerPrefix)
		if derr != nil || !ok {
			return nil, nil, newError(apierror.CodeValidationError, msgInvalidMarker)
		}
		start, _ = slices.BinarySearchFunc(items, from, func(it T, k string) int { return strings.Compare(key(it), k) })
	}
	end := min(start+limit, len(items))
	page = items[start:end:end]
	if end < len(items) {
		m := base64.RawURLEncoding.EncodeToString([]byte(markerPrefix + key(items[end])))
		next = &m
	}
	return page, next, nil
}

// sortKey is the order of IAM's listings by name: ignoring case, then by
// exact name.
func sortKey(name string) string { return strings.ToLower(name) + "\x00" + name }

// encodeDocument URL-encodes a policy document as IAM returns it in GetRole,
// GetRolePolicy, GetUserPolicy, GetPolicyVersion and the lists that carry
// documents (RFC 3986: everything but A–Z a–z 0–9 - . _ ~ as %XX of its
// UTF-8 bytes; raw answers show %20 for a space and %2A for '*',
// behaviour §18).
func encodeDocument(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(doc) * 2)
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
