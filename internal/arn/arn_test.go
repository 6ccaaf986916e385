package arn

import "testing"

func TestParse(t *testing.T) {
	rows := []struct {
		in   string
		want ARN
		ok   bool
	}{
		{"arn:aws:iam::123456789012:role/path/to/R", ARN{"aws", "iam", "", "123456789012", "role/path/to/R"}, true},
		{"arn:aws:sts::123456789012:assumed-role/R/s", ARN{"aws", "sts", "", "123456789012", "assumed-role/R/s"}, true},
		{"arn:aws:logs:us-east-1:123456789012:log-group:g:*", ARN{"aws", "logs", "us-east-1", "123456789012", "log-group:g:*"}, true},
		{"arn:aws:s3:::bucket/key", ARN{"aws", "s3", "", "", "bucket/key"}, true},
		{"arn:aws:iam::123456789012", ARN{}, false},
		{"arn:aws:iam:", ARN{}, false},
		{"aws:iam::123456789012:root", ARN{}, false},
		{"", ARN{}, false},
	}
	for _, r := range rows {
		got, ok := Parse(r.in)
		if got != r.want || ok != r.ok {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, %v", r.in, got, ok, r.want, r.ok)
		}
		if ok && got.String() != r.in {
			t.Errorf("Parse(%q).String() = %q", r.in, got.String())
		}
	}
}

func TestBuild(t *testing.T) {
	if got := IAM("000000000001", "user/division/Bob"); got != "arn:aws:iam::000000000001:user/division/Bob" {
		t.Errorf("IAM = %q", got)
	}
	if got := STS("123456789012", "federated-user/Dave"); got != "arn:aws:sts::123456789012:federated-user/Dave" {
		t.Errorf("STS = %q", got)
	}
	if got := Root("123456789012"); got != "arn:aws:iam::123456789012:root" {
		t.Errorf("Root = %q", got)
	}
}
