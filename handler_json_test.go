package fakests

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"
)

// STS answers JSON when a request asks for it (behaviour §1.2, §1.3); the
// EKS login (aws-iam-authenticator) depends on it.

// handlerJSONPost signs form as the Go SDK would and posts it to the Handler
// with the given Accept header.
func handlerJSONPost(t *testing.T, e *Engine, creds aws.Credentials, form, accept string) *httptest.ResponseRecorder {
	t.Helper()
	r := handlerPost(form)
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	if creds.AccessKeyID != "" {
		handlerSign(t, r, []byte(form), creds, time.Now())
	}
	return handlerServe(e, r)
}

// handlerJSONHeaders checks a JSON answer's headers: application/json and
// the request ID of the body.
func handlerJSONHeaders(t *testing.T, rec *httptest.ResponseRecorder, bodyID string) {
	t.Helper()
	h := rec.Header()
	got := []string{h.Get("Content-Type"), h.Get("X-Amzn-Requestid"), h.Get("Content-Length")}
	want := []string{"application/json", bodyID, strconv.Itoa(rec.Body.Len())}
	if diff := cmp.Diff(want, got); diff != "" || bodyID == "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}

// TestHandlerJSONExactBytes pins whole JSON documents for a success and an
// error, and that every way of asking picks the format it should.
func TestHandlerJSONExactBytes(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "json-user"})
	const form = "Action=GetCallerIdentity&Version=2011-06-15"

	rec := handlerJSONPost(t, e, u.Credentials, form, "application/json")
	id := rec.Header().Get("X-Amzn-Requestid")
	handlerJSONHeaders(t, rec, id)
	want := `{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/json-user",` +
		`"UserId":"` + u.UserID + `"},"ResponseMetadata":{"RequestId":"` + id + `"}}}`
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" || rec.Code != 200 {
		t.Errorf("status %d, body (-want +got):\n%s", rec.Code, diff)
	}

	bad := u.Credentials
	bad.SecretAccessKey = strings.Repeat("b", 40)
	rec = handlerJSONPost(t, e, bad, form, "application/json")
	id = rec.Header().Get("X-Amzn-Requestid")
	handlerJSONHeaders(t, rec, id)
	want = `{"Error":{"Code":"SignatureDoesNotMatch","Message":"The request signature we calculated does not match the signature you provided. ` +
		`Check your AWS Secret Access Key and signing method. Consult the service documentation for details.","Type":"Sender"},"RequestId":"` + id + `"}`
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" || rec.Code != 403 {
		t.Errorf("status %d, body (-want +got):\n%s", rec.Code, diff)
	}

	for _, tc := range []struct {
		accept string
		json   bool
	}{
		{"", false},
		{"*/*", false},
		{"text/xml", false},
		{"application/json", true},
		{"Application/JSON; charset=utf-8", true},
		{"application/json, text/xml", false}, // a tie keeps XML
		{"text/xml;q=0.5, application/json", true},
		{"application/json;q=0, */*", false},
		{"application/*", false},
		{"text/*;q=0.1, application/json;q=0.2", true},
	} {
		t.Run("Accept: "+tc.accept, func(t *testing.T) {
			rec := handlerJSONPost(t, e, u.Credentials, form, tc.accept)
			isJSON := rec.Header().Get("Content-Type") == "application/json" && json.Valid(rec.Body.Bytes())
			isXML := rec.Header().Get("Content-Type") == "text/xml" && bytes.HasPrefix(rec.Body.Bytes(), []byte("<GetCallerIdentityResponse"))
			if rec.Code != 200 || isJSON != tc.json || isXML == tc.json {
				t.Errorf("status %d, Content-Type %q, want JSON %v:\n%s", rec.Code, rec.Header().Get("Content-Type"), tc.json, rec.Body)
			}
		})
	}
}

// TestHandlerJSONOperations: every operation, and the errors of every layer
// (decoding, authentication, validation, authorization, unsupported
// operations), answer JSON when asked.
func TestHandlerJSONOperations(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "json-ops", Policies: []string{allowAssume}})
	r := mustRole(t, e, RoleSpec{Name: "json-role", TrustPolicy: trustPrincipal(u.ARN)})
	roleArn := url.QueryEscape(r.ARN)
	v := "&Version=2011-06-15"
	type creds struct {
		AccessKeyId, SecretAccessKey, SessionToken string
		Expiration                                 json.Number
	}
	tests := []struct {
		name, form string
		signed     bool
		status     int
		// check inspects the decoded document.
		check func(t *testing.T, doc map[string]any)
	}{
		{"AssumeRole", "Action=AssumeRole" + v + "&RoleArn=" + roleArn + "&RoleSessionName=json", true, 200, func(t *testing.T, doc map[string]any) {
			res := doc["AssumeRoleResponse"].(map[string]any)["AssumeRoleResult"].(map[string]any)
			aru := res["AssumedRoleUser"].(map[string]any)
			if aru["Arn"] != "arn:aws:sts::123456789012:assumed-role/json-role/json" || aru["AssumedRoleId"] != r.RoleID+":json" {
				t.Errorf("AssumedRoleUser %v", aru)
			}
			if _, ok := res["PackedPolicySize"]; !ok || res["PackedPolicySize"] != nil || res["SourceIdentity"] != nil {
				t.Errorf("PackedPolicySize and SourceIdentity should be null: %v", res)
			}
			checkJSONCreds(t, res["Credentials"], e.Now().Add(time.Hour))
		}},
		{"GetSessionToken", "Action=GetSessionToken" + v + "&DurationSeconds=900", true, 200, func(t *testing.T, doc map[string]any) {
			res := doc["GetSessionTokenResponse"].(map[string]any)["GetSessionTokenResult"].(map[string]any)
			checkJSONCreds(t, res["Credentials"], e.Now().Add(900*time.Second))
		}},
		{"GetFederationToken", "Action=GetFederationToken" + v + "&Name=fed", true, 200, func(t *testing.T, doc map[string]any) {
			res := doc["GetFederationTokenResponse"].(map[string]any)["GetFederationTokenResult"].(map[string]any)
			fu := res["FederatedUser"].(map[string]any)
			if fu["Arn"] != "arn:aws:sts::123456789012:federated-user/fed" || fu["FederatedUserId"] != "123456789012:fed" || res["PackedPolicySize"] != 0.0 {
				t.Errorf("result %v", res)
			}
			checkJSONCreds(t, res["Credentials"], e.Now().Add(12*time.Hour))
		}},
		{"GetAccessKeyInfo", "Action=GetAccessKeyInfo" + v + "&AccessKeyId=ASIAY34FZKBOKMUTVV7A", true, 200, func(t *testing.T, doc map[string]any) {
			want := map[string]any{"GetAccessKeyInfoResponse": map[string]any{"GetAccessKeyInfoResult": map[string]any{"Account": "609629065308"},
				"ResponseMetadata": doc["GetAccessKeyInfoResponse"].(map[string]any)["ResponseMetadata"]}}
			if diff := cmp.Diff(want, doc); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		}},
		{"an unknown Action", "Action=Frobnicate" + v, true, 400, jsonError("Sender", "InvalidAction", "Could not find operation Frobnicate for version 2011-06-15")},
		{"unsigned", "Action=GetSessionToken" + v, false, 403, jsonError("Sender", "MissingAuthenticationToken", "Request is missing Authentication Token")},
		{"a validation error", "Action=AssumeRole" + v + "&RoleArn=" + roleArn + "&RoleSessionName=x", true, 400,
			jsonError("Sender", "ValidationError", "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2")},
		{"a denial", "Action=AssumeRole" + v + "&RoleArn=" + url.QueryEscape("arn:aws:iam::123456789012:role/nope") + "&RoleSessionName=xx", true, 403,
			jsonError("Sender", "AccessDenied", "User: arn:aws:iam::123456789012:user/json-ops is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/nope")},
		// §11.8: a trade-in token never issued (fakests' choice of answer).
		{"an unknown trade-in token", "Action=GetDelegatedAccessToken" + v + "&TradeInToken=trade-in-token", true, 400,
			jsonError("Sender", "InvalidParameterValue", "The trade-in token is not valid.")},
		// §11.4: AssumeRoot's plain denial (no organization here).
		{"an AssumeRoot denial", "Action=AssumeRoot" + v + "&TargetPrincipal=123456789012&TaskPolicyArn.arn=" + url.QueryEscape("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"), true, 403,
			jsonError("Sender", "AccessDenied", "User: arn:aws:iam::123456789012:user/json-ops is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::123456789012:root")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c aws.Credentials
			if tc.signed {
				c = u.Credentials
			}
			rec := handlerJSONPost(t, e, c, tc.form, "application/json")
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, rec.Body)
			}
			id := rec.Header().Get("X-Amzn-Requestid")
			handlerJSONHeaders(t, rec, id)
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d:\n%s", rec.Code, tc.status, rec.Body)
			}
			if got := jsonRequestID(doc); got != id {
				t.Errorf("body RequestId %q, header %q", got, id)
			}
			tc.check(t, doc)
		})
	}
}

// jsonError checks a JSON error document: exactly Error and RequestId.
func jsonError(typ, code, msg string) func(t *testing.T, doc map[string]any) {
	return func(t *testing.T, doc map[string]any) {
		want := map[string]any{"Error": map[string]any{"Code": code, "Message": msg, "Type": typ}, "RequestId": doc["RequestId"]}
		if diff := cmp.Diff(want, doc); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
}

// jsonRequestID returns the request ID of a JSON success or error.
func jsonRequestID(doc map[string]any) string {
	if id, ok := doc["RequestId"].(string); ok {
		return id
	}
	for _, v := range doc {
		if resp, ok := v.(map[string]any); ok {
			if md, ok := resp["ResponseMetadata"].(map[string]any); ok {
				id, _ := md["RequestId"].(string)
				return id
			}
		}
	}
	return ""
}

// checkJSONCreds checks a Credentials object: an ASIA key, a 40-character
// secret, a token and Expiration as a JSON number of epoch seconds.
func checkJSONCreds(t *testing.T, v any, expires time.Time) {
	t.Helper()
	c, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("Credentials %v is not an object", v)
	}
	key, _ := c["AccessKeyId"].(string)
	secret, _ := c["SecretAccessKey"].(string)
	token, _ := c["SessionToken"].(string)
	exp, isNum := c["Expiration"].(float64)
	if !strings.HasPrefix(key, "ASIA") || len(secret) != 40 || token == "" || !isNum || int64(exp) != expires.Unix() || len(c) != 4 {
		t.Errorf("Credentials %v: want ASIA key, 40-char secret, token, Expiration %d", c, expires.Unix())
	}
}

// TestHandlerJSONPresigned: a presigned GetCallerIdentity URL fetched with
// Accept: application/json answers JSON, its errors too.
func TestHandlerJSONPresigned(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "presigned-json"})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	p := handlerPresign(t, srv.URL, u.Credentials)
	h := p.SignedHeader.Clone()
	h.Set("Accept", "application/json")
	status, body := handlerGet(t, p.Method, p.URL, h)
	var doc getCallerIdentityJSON
	if err := json.Unmarshal(body, &doc); err != nil || status != 200 {
		t.Fatalf("status %d, %v:\n%s", status, err, body)
	}
	res := doc.GetCallerIdentityResponse.GetCallerIdentityResult
	if res.Arn != u.ARN || res.UserID != u.UserID || res.Account != "123456789012" || doc.GetCallerIdentityResponse.ResponseMetadata.RequestID == "" {
		t.Errorf("decoded %+v", doc)
	}

	i := strings.Index(p.URL, "X-Amz-Signature=") + len("X-Amz-Signature=")
	flip := map[byte]string{'0': "1"}[p.URL[i]]
	if flip == "" {
		flip = "0"
	}
	status, body = handlerGet(t, p.Method, p.URL[:i]+flip+p.URL[i+1:], h)
	var er struct {
		Error     struct{ Code, Message, Type string }
		RequestID string `json:"RequestId"`
	}
	if err := json.Unmarshal(body, &er); err != nil || status != 403 || er.Error.Code != "SignatureDoesNotMatch" || er.Error.Type != "Sender" || er.RequestID == "" {
		t.Errorf("status %d, %v: %s", status, err, body)
	}
}

// getCallerIdentityJSON is the document aws-iam-authenticator decodes
// (kubernetes-sigs/aws-iam-authenticator pkg/token/token.go,
// getCallerIdentityWrapper).
type getCallerIdentityJSON struct {
	GetCallerIdentityResponse struct {
		GetCallerIdentityResult struct {
			Account string `json:"Account"`
			Arn     string `json:"Arn"`
			UserID  string `json:"UserId"`
		} `json:"GetCallerIdentityResult"`
		ResponseMetadata struct {
			RequestID string `json:"RequestId"`
		} `json:"ResponseMetadata"`
	} `json:"GetCallerIdentityResponse"`
}

// eksIdentity is what an EKS-style verifier learns from a token.
type eksIdentity struct {
	ARN, AccountID, UserID, SessionName, AccessKeyID string
}

// eksVerify reimplements aws-iam-authenticator's token verification
// (pkg/token/token.go, tokenVerifier.Verify) against endpoint: decode the
// k8s-aws-v1. token into the presigned URL, accept only its whitelisted
// query parameters, once each, Action=GetCallerIdentity, a signed
// x-k8s-aws-id and an X-Amz-Expires of 0..900, then GET the URL with the
// cluster ID header and Accept: application/json and decode the JSON. The
// scheme and STS host checks are left out: the test server is plain HTTP on
// loopback.
func eksVerify(endpoint, token, clusterID string) (*eksIdentity, error) {
	const prefix = "k8s-aws-v1."
	if !strings.HasPrefix(token, prefix) {
		return nil, fmt.Errorf("token is missing expected %q prefix", prefix)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(token, prefix))
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(string(raw))
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(string(raw), endpoint+"/?") || u.Path != "/" {
		return nil, fmt.Errorf("unexpected URL %s", raw)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, err
	}
	allowed := map[string]bool{"action": true, "version": true, "x-amz-algorithm": true, "x-amz-credential": true, "x-amz-date": true,
		"x-amz-expires": true, "x-amz-security-token": true, "x-amz-signature": true, "x-amz-signedheaders": true}
	lower := url.Values{}
	for k, vs := range q {
		if !allowed[strings.ToLower(k)] || len(vs) != 1 || lower.Has(strings.ToLower(k)) {
			return nil, fmt.Errorf("query parameter %q not accepted", k)
		}
		lower.Set(strings.ToLower(k), vs[0])
	}
	if lower.Get("action") != "GetCallerIdentity" {
		return nil, fmt.Errorf("unexpected action parameter in pre-signed URL")
	}
	signed := false
	for _, h := range strings.Split(lower.Get("x-amz-signedheaders"), ";") {
		signed = signed || strings.EqualFold(h, "x-k8s-aws-id")
	}
	if !signed {
		return nil, fmt.Errorf("client did not sign the x-k8s-aws-id header in the pre-signed URL")
	}
	if exp, err := strconv.Atoi(lower.Get("x-amz-expires")); err != nil || exp < 0 || exp > 900 {
		return nil, fmt.Errorf("invalid X-Amz-Expires parameter in pre-signed URL")
	}
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("x-k8s-aws-id", clusterID)
	req.Header.Set("accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("error from AWS (expected 200, got %d). Body: %s", resp.StatusCode, body)
	}
	var doc getCallerIdentityJSON
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	res := doc.GetCallerIdentityResponse.GetCallerIdentityResult
	id := &eksIdentity{ARN: res.Arn, AccountID: res.Account, AccessKeyID: strings.Split(lower.Get("x-amz-credential"), "/")[0]}
	if strings.Contains(res.Arn, ":assumed-role/") {
		parts := strings.Split(res.UserID, ":")
		if len(parts) != 2 {
			return nil, fmt.Errorf("malformed UserID %q", res.UserID)
		}
		id.UserID, id.SessionName = parts[0], parts[1]
	} else {
		id.UserID = res.UserID
	}
	return id, nil
}

// eksToken makes a token as aws-iam-authenticator's generator does: the Go
// SDK presigns GetCallerIdentity with the x-k8s-aws-id header and
// X-Amz-Expires=60 set as headers, which the presigner hoists into the query.
func eksToken(t *testing.T, endpoint, clusterID string, creds aws.Credentials) string {
	t.Helper()
	client := handlerHTTPClient(endpoint, creds)
	p, err := sts.NewPresignClient(client).PresignGetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{},
		func(po *sts.PresignOptions) {
			po.ClientOptions = append(po.ClientOptions, func(o *sts.Options) {
				o.APIOptions = append(o.APIOptions,
					smithyhttp.SetHeaderValue("x-k8s-aws-id", clusterID),
					smithyhttp.SetHeaderValue("X-Amz-Expires", "60"))
			})
		})
	if err != nil {
		t.Fatal(err)
	}
	return "k8s-aws-v1." + base64.RawURLEncoding.EncodeToString([]byte(p.URL))
}

// TestHandlerEKSVerifier runs an aws-iam-authenticator-style verification
// against the Handler: a user's and a role session's tokens give their
// identities; a token for another cluster, or whose signature was altered,
// is refused with STS's JSON error.
func TestHandlerEKSVerifier(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "kube-admin", Path: "/eks/", Policies: []string{allowAssume}})
	r := mustRole(t, e, RoleSpec{Name: "node-role", TrustPolicy: trustPrincipal(u.ARN)})
	ar, err := e.AssumeRole(WithCaller(context.Background(), u.Credentials),
		&sts.AssumeRoleInput{RoleArn: aws.String(r.ARN), RoleSessionName: aws.String("i-0abc")})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()

	t.Run("IAM user", func(t *testing.T) {
		got, err := eksVerify(srv.URL, eksToken(t, srv.URL, "prod", u.Credentials), "prod")
		if err != nil {
			t.Fatal(err)
		}
		want := &eksIdentity{ARN: "arn:aws:iam::123456789012:user/eks/kube-admin", AccountID: "123456789012", UserID: u.UserID, AccessKeyID: u.Credentials.AccessKeyID}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("role session", func(t *testing.T) {
		sess := credsOf(ar.Credentials)
		got, err := eksVerify(srv.URL, eksToken(t, srv.URL, "prod", sess), "prod")
		if err != nil {
			t.Fatal(err)
		}
		want := &eksIdentity{ARN: "arn:aws:sts::123456789012:assumed-role/node-role/i-0abc", AccountID: "123456789012",
			UserID: r.RoleID, SessionName: "i-0abc", AccessKeyID: sess.AccessKeyID}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("token for another cluster", func(t *testing.T) {
		_, err := eksVerify(srv.URL, eksToken(t, srv.URL, "dev", u.Credentials), "prod")
		if err == nil || !strings.HasPrefix(err.Error(), `error from AWS (expected 200, got 403). Body: {"Error":{"Code":"SignatureDoesNotMatch","Message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.","Type":"Sender"},"RequestId":"`) {
			t.Errorf("error %v", err)
		}
	})
}

// TestAdapterJSON: a Go client routed into the engine that asks for JSON
// gets JSON, as from STS; the SDK's XML deserializer finds no
// GetCallerIdentityResult element in it and returns an empty output, as it
// would from STS.
func TestAdapterJSON(t *testing.T) {
	e, _ := newTestEngine(t, Strict())
	u := mustUser(t, e, UserSpec{Name: "adapter-json"})
	var raw struct {
		contentType string
		body        []byte
	}
	capture := middleware.DeserializeMiddlewareFunc("capture", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		if resp, ok := out.RawResponse.(*smithyhttp.Response); ok {
			raw.contentType = resp.Header.Get("Content-Type")
			raw.body, _ = io.ReadAll(resp.Body)
			resp.Body = io.NopCloser(bytes.NewReader(raw.body))
		}
		return out, md, err
	})
	client := sts.NewFromConfig(e.Config(u.Credentials), func(o *sts.Options) {
		o.RetryMaxAttempts = 1
		o.APIOptions = append(o.APIOptions,
			smithyhttp.AddHeaderValue("Accept", "application/json"),
			func(s *middleware.Stack) error { return s.Deserialize.Insert(capture, adapterID, middleware.Before) })
	})
	out, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil || out.Arn != nil || out.Account != nil || out.UserId != nil {
		t.Errorf("GetCallerIdentity = %+v, %v; want an empty output", out, err)
	}
	var doc getCallerIdentityJSON
	if jerr := json.Unmarshal(raw.body, &doc); jerr != nil || raw.contentType != "application/json" ||
		doc.GetCallerIdentityResponse.GetCallerIdentityResult.Arn != "arn:aws:iam::123456789012:user/adapter-json" {
		t.Errorf("Content-Type %q, body %s (%v)", raw.contentType, raw.body, jerr)
	}
}
