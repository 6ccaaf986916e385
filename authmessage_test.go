package fakests

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"
)

const (
	allowDecode = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:DecodeAuthorizationMessage","sts:AssumeRole"],"Resource":"*"}]}`
	denyRun     = `{"Version":"2012-10-17","Statement":[{"Sid":"NoRun","Effect":"Deny","Action":"ec2:RunInstances","Resource":"*"}]}`
)

// deniedMessage returns an encoded message for Dana's explicitly denied
// ec2:RunInstances, and Dana.
func deniedMessage(t *testing.T, e *Engine) (string, *User) {
	t.Helper()
	u := mustUser(t, e, UserSpec{Name: "Dana", Policies: []string{allowDecode, denyRun}})
	p, err := e.Authenticate(signedRequest(t, u.Credentials, "GET", "http://ec2.local/", "", "us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Authorize(context.Background(), p, Request{Action: "ec2:RunInstances", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/*",
		Context: map[string][]string{"ec2:InstanceType": {"t3.micro"}}})
	if err != nil {
		t.Fatal(err)
	}
	return e.EncodeAuthorizationMessage(d), u
}

// TestDecodeAuthorizationMessageRoundTrip pins the decoded layout of behaviour
// §11.5 on both paths.
func TestDecodeAuthorizationMessageRoundTrip(t *testing.T) {
	for _, p := range paths(nil) {
		t.Run(p.name, func(t *testing.T) {
			e, _ := newTestEngine(t)
			msg, u := deniedMessage(t, e)
			if len(msg) < 200 || len(msg) > 10240 || strings.Trim(msg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
				t.Errorf("encoded message (%d chars) %.60q…: want hundreds of URL-safe base64 characters", len(msg), msg)
			}
			api, ctx := paths(e).byName(p.name).api(u.Credentials)
			out, err := api.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(msg)})
			if err != nil {
				t.Fatal(err)
			}
			js := aws.ToString(out.DecodedMessage)
			var compact bytes.Buffer
			if err := json.Compact(&compact, []byte(js)); err != nil || compact.String() != js {
				t.Errorf("decoded message is not compact JSON (%v): %s", err, js)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(js), &got); err != nil {
				t.Fatal(err)
			}
			// Keep two of the condition keys: the rest vary with the clock.
			ctxMap := got["context"].(map[string]any)
			var kept []any
			for _, c := range ctxMap["conditions"].(map[string]any)["items"].([]any) {
				switch c.(map[string]any)["key"] {
				case "aws:username", "ec2:InstanceType":
					kept = append(kept, c)
				}
			}
			ctxMap["conditions"] = map[string]any{"items": kept}
			items := func(vs ...string) map[string]any {
				out := []any{}
				for _, v := range vs {
					out = append(out, map[string]any{"value": v})
				}
				return map[string]any{"items": out}
			}
			want := map[string]any{
				"allowed": false, "explicitDeny": true,
				"matchedStatements": map[string]any{"items": []any{map[string]any{
					"statementId": "NoRun", "effect": "DENY",
					"principals": items(u.UserID), "principalGroups": items(),
					"actions": items("ec2:RunInstances"), "resources": items("*"), "conditions": items(),
				}}},
				"failures": map[string]any{"items": []any{}},
				"context": map[string]any{
					"principal": map[string]any{"id": u.UserID, "name": "Dana", "arn": "arn:aws:iam::123456789012:user/Dana"},
					"action":    "ec2:RunInstances", "resource": "arn:aws:ec2:us-east-1:123456789012:instance/*",
					"conditions": map[string]any{"items": []any{
						map[string]any{"key": "aws:username", "values": items("Dana")},
						map[string]any{"key": "ec2:InstanceType", "values": items("t3.micro")},
					}},
				},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("decoded message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeAuthorizationMessageErrors(t *testing.T) {
	invalid := &wantErr{Code: "InvalidAuthorizationMessageException", Status: 400,
		Message: "The encoded authorization message is invalid or was not issued by this service."}
	rows := []struct {
		name   string
		caller string // "dana", "plain", "federated"
		msg    func(own string) string
		want   *wantErr
	}{
		{name: "the caller needs sts:DecodeAuthorizationMessage", caller: "plain", msg: func(own string) string { return own },
			want: deniedBy("arn:aws:iam::123456789012:user/Plain", "sts:DecodeAuthorizationMessage", "*")},
		{name: "GetFederationToken sessions may not decode", caller: "federated", msg: func(own string) string { return own },
			want: deniedBy("arn:aws:sts::123456789012:federated-user/fed", "sts:DecodeAuthorizationMessage", "*")},
		{name: "another engine's message is invalid", caller: "dana", msg: func(string) string {
			other, _ := newTestEngine(t)
			m, _ := deniedMessage(t, other)
			return m
		}, want: invalid},
		{name: "an altered message is invalid", caller: "dana", msg: func(own string) string {
			b := []byte(own)
			b[len(b)/2] ^= 1
			return string(b)
		}, want: invalid},
		{name: "line breaks make a message invalid", caller: "dana", msg: func(own string) string { return own[:40] + "\n" + own[40:] }, want: invalid},
		{name: "text that is not base64 is invalid", caller: "dana", msg: func(string) string { return "not a message!" }, want: invalid},
		{name: "an empty message is a validation error", caller: "dana", msg: func(string) string { return "" },
			want: &wantErr{Code: "ValidationError", Status: 400, Message: "1 validation error detected: Value '' at 'encodedMessage' failed to satisfy constraint: Member must have length greater than or equal to 1"}},
	}
	for _, row := range rows {
		for _, p := range paths(nil) {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				e, _ := newTestEngine(t)
				own, dana := deniedMessage(t, e)
				creds := dana.Credentials
				switch row.caller {
				case "plain":
					creds = mustUser(t, e, UserSpec{Name: "Plain"}).Credentials
				case "federated":
					u := mustUser(t, e, UserSpec{Name: "Fed", Policies: []string{allowAssume, allowDecode}})
					out, err := e.GetFederationToken(typed(u.Credentials), &sts.GetFederationTokenInput{Name: aws.String("fed"), Policy: aws.String(allowDecode)})
					if err != nil {
						t.Fatal(err)
					}
					creds = credsOf(out.Credentials)
				}
				api, ctx := paths(e).byName(p.name).api(creds)
				_, err := api.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(row.msg(own))})
				checkErr(t, err, row.want)
				var typedErr *types.InvalidAuthorizationMessageException
				if row.want == invalid && !errors.As(err, &typedErr) {
					t.Errorf("%T is not *types.InvalidAuthorizationMessageException", err)
				}
			})
		}
	}
}

// FuzzDecodeAuthorizationMessage feeds hostile messages to the decoder: it
// must refuse them without panicking, and never accept a foreign one.
func FuzzDecodeAuthorizationMessage(f *testing.F) {
	e, _ := newTestEngine(f)
	own := e.EncodeAuthorizationMessage(&Decision{Action: "s3:GetObject", Resource: "*"})
	f.Add(own)
	f.Add(own[:len(own)-1])
	f.Add("AQ")
	f.Add("")
	f.Add(strings.Repeat("A", 10240))
	f.Fuzz(func(t *testing.T, msg string) {
		js, err := e.openAuthorizationMessage(msg)
		if err == nil {
			if msg != own {
				t.Fatalf("accepted a message the engine did not encode: %q", msg)
			}
			if !json.Valid([]byte(js)) {
				t.Fatalf("decoded message is not JSON: %s", js)
			}
		}
	})
}
