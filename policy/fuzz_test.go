package policy

import (
	"errors"
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
	`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","NotAction":["iam:*","s3:Get?bject"],"NotResource":"arn:aws:s3:::${aws:username}/*"}]}`,
	`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/R"],"Federated":"accounts.google.com"},"Action":"sts:AssumeRole*","Condition":{"StringEquals":{"sts:ExternalId":"x"},"ForAnyValue:StringLike":{"aws:TagKeys":["a*","${aws:PrincipalTag/t, 'd'}"]},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},"DateLessThan":{"aws:CurrentTime":1700000000},"Null":{"aws:TokenIssueTime":"false"},"ArnLike":{"aws:SourceArn":"arn:aws:*:*:111122223333:*"},"NumericLessThanEquals":{"aws:MultiFactorAuthAge":3600},"BoolIfExists":{"aws:SecureTransport":true},"BinaryEquals":{"x:b":"QQ=="}}}}`,
	`{"Statement":{"Effect":"Deny","NotPrincipal":"*","Action":"*"}}`,
	`{"Statement":[]}`,
	`{"a":1,"a":2}`,
	`[[[[[[[[[[[[]]]]]]]]]]]]`,
	"{\"Statement\":\"\xff\"}",
	`{"Statement":{"Sid":"\ud83d\ude00","Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, doc string, resource bool) {
		kind := Identity
		if resource {
			kind = Resource
		}
		p, err := Parse(doc, kind)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Message == "" {
				t.Fatalf("error %T %q is not a *Error with a message", err, err)
			}
			if p != nil {
				t.Fatal("Parse returned a policy and an error")
			}
			return
		}
		if p.Document() != doc {
			t.Fatal("Document() differs from the input")
		}
	})
}

// FuzzEvaluate checks that evaluation never panics and that an explicit Deny
// of everything always wins, whatever the policy and request.
func FuzzEvaluate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, true, "sts:AssumeRole", "arn:aws:iam::111122223333:role/R", "aws:TagKeys", "a", "aws:SourceIp", "10.1.2.3")
		f.Add(s, false, "S3:GetObject", "arn:aws:s3:::b/k", "aws:username", "*", "aws:CurrentTime", "2020-01-01T00:00:00Z")
	}
	f.Fuzz(func(t *testing.T, doc string, resource bool, action, res, k1, v1, k2, v2 string) {
		kind := Identity
		deny := `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`
		if resource {
			kind = Resource
			deny = `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"*"}}`
		}
		p, err := Parse(doc, kind)
		if err != nil {
			return
		}
		req := &Request{
			Principal: &Principal{Type: "AWS", Account: "111122223333", IDs: []string{res}},
			Action:    action,
			Resource:  res,
			Context:   map[string][]string{k1: {v1}, k2: strings.Split(v2, ",")},
		}
		d := Evaluate(req, p)
		if d.Allowed && d.ExplicitDeny {
			t.Fatal("Allowed and ExplicitDeny together")
		}
		denyAll, err := Parse(deny, kind)
		if err != nil {
			t.Fatal(err)
		}
		d = Evaluate(req, p, denyAll)
		if d.Allowed || !d.ExplicitDeny {
			t.Fatalf("deny-all did not win: %+v", d)
		}
		d = Evaluate(req, denyAll, p)
		if d.Allowed || !d.ExplicitDeny {
			t.Fatalf("deny-all first did not win: %+v", d)
		}
	})
}

// FuzzCheckIAM checks that IAM's stages never panic, answer with a *Error
// carrying a text, and leave Parse nothing to refuse but what they hand on
// to it: a principal in an identity policy.
func FuzzCheckIAM(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, doc string, managed bool) {
		err := CheckIAM(doc, managed)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Message == "" {
				t.Fatalf("error %T %q is not a *Error with a message", err, err)
			}
			return
		}
		if _, err := Parse(doc, Identity); err != nil && err.Error() != MsgPrincipalForbidden {
			t.Fatalf("CheckIAM accepted what Parse refuses with %q", err)
		}
	})
}
