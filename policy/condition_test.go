package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type ctx = map[string][]string

func TestConditions(t *testing.T) {
	tests := []struct {
		name string // the AWS rule pinned
		cond string
		ctx  ctx
		want bool
	}{
		// String operators.
		{"StringEquals matches exactly", `{"StringEquals":{"sts:ExternalId":"abc"}}`, ctx{"sts:ExternalId": {"abc"}}, true},
		{"StringEquals is case-sensitive in values", `{"StringEquals":{"sts:ExternalId":"abc"}}`, ctx{"sts:ExternalId": {"ABC"}}, false},
		{"multiple values in a condition are ORed", `{"StringEquals":{"sts:ExternalId":["x","abc"]}}`, ctx{"sts:ExternalId": {"abc"}}, true},
		{"multiple keys are ANDed", `{"StringEquals":{"sts:ExternalId":"abc","aws:username":"bob"}}`, ctx{"sts:ExternalId": {"abc"}, "aws:username": {"alice"}}, false},
		{"multiple operators are ANDed", `{"StringEquals":{"sts:ExternalId":"abc"},"Bool":{"aws:SecureTransport":"true"}}`, ctx{"sts:ExternalId": {"abc"}, "aws:SecureTransport": {"false"}}, false},
		{"StringEquals on a missing key is false", `{"StringEquals":{"sts:ExternalId":"abc"}}`, nil, false},
		{"StringNotEquals on a missing key is true", `{"StringNotEquals":{"sts:ExternalId":"abc"}}`, nil, true},
		{"StringNotEquals is false if any value matches", `{"StringNotEquals":{"aws:username":["a","b"]}}`, ctx{"aws:username": {"b"}}, false},
		{"StringNotEquals is true if no value matches", `{"StringNotEquals":{"aws:username":["a","b"]}}`, ctx{"aws:username": {"c"}}, true},
		{"StringEqualsIgnoreCase folds case", `{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}`, ctx{"aws:username": {"alice"}}, true},
		{"StringNotEqualsIgnoreCase folds case", `{"StringNotEqualsIgnoreCase":{"aws:username":"ALICE"}}`, ctx{"aws:username": {"alice"}}, false},
		{"StringLike with wildcards", `{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/*:ref:refs/heads/m??n"}}`, ctx{"token.actions.githubusercontent.com:sub": {"repo:org/app:ref:refs/heads/main"}}, true},
		{"StringLike is case-sensitive", `{"StringLike":{"aws:username":"a*"}}`, ctx{"aws:username": {"Alice"}}, false},
		{"StringNotLike on a non-matching value", `{"StringNotLike":{"aws:username":"a*"}}`, ctx{"aws:username": {"bob"}}, true},
		{"StringNotLike on a missing key is true", `{"StringNotLike":{"aws:username":"a*"}}`, nil, true},
		{"StringEquals reads numbers and booleans as text", `{"StringEquals":{"aws:username":[12,true]}}`, ctx{"aws:username": {"true"}}, true},
		// IfExists.
		{"IfExists makes a missing key true", `{"StringEqualsIfExists":{"sts:ExternalId":"abc"}}`, nil, true},
		{"IfExists still compares a present key", `{"StringEqualsIfExists":{"sts:ExternalId":"abc"}}`, ctx{"sts:ExternalId": {"x"}}, false},
		{"BoolIfExists with a missing key", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, nil, true},
		// Set operators.
		{"ForAllValues on a missing key is true", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, nil, true},
		{"ForAllValues on an empty set is true", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx{"aws:TagKeys": {}}, true},
		{"ForAllValues: every value must match", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx{"aws:TagKeys": {"a", "c"}}, false},
		{"ForAllValues: subset matches", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, ctx{"aws:TagKeys": {"b", "a"}}, true},
		{"ForAnyValue on a missing key is false", `{"ForAnyValue:StringEquals":{"aws:TagKeys":"a"}}`, nil, false},
		{"ForAnyValue: one value suffices", `{"ForAnyValue:StringEquals":{"aws:TagKeys":"a"}}`, ctx{"aws:TagKeys": {"x", "a"}}, true},
		{"ForAnyValue:StringNotEquals: some value outside the list", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, ctx{"aws:TagKeys": {"a", "z"}}, true},
		{"ForAnyValue:StringNotEquals: all values in the list", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, ctx{"aws:TagKeys": {"a", "b"}}, false},
		{"ForAllValues:StringNotLike: no value may match", `{"ForAllValues:StringNotLike":{"aws:TagKeys":"aws*"}}`, ctx{"aws:TagKeys": {"team", "awsx"}}, false},
		{"ForAnyValue with IfExists on a missing key", `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"a"}}`, nil, true},
		{"a multi-valued key without set operator matches any value", `{"StringEquals":{"aws:TagKeys":"b"}}`, ctx{"aws:TagKeys": {"a", "b"}}, true},
		// Numeric.
		{"NumericLessThan", `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, ctx{"aws:MultiFactorAuthAge": {"100"}}, true},
		{"NumericLessThan at the bound", `{"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}`, ctx{"aws:MultiFactorAuthAge": {"3600"}}, false},
		{"NumericLessThanEquals at the bound", `{"NumericLessThanEquals":{"aws:MultiFactorAuthAge":3600}}`, ctx{"aws:MultiFactorAuthAge": {"3600.0"}}, true},
		{"NumericGreaterThan", `{"NumericGreaterThan":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"1e2"}}, true},
		{"NumericGreaterThanEquals", `{"NumericGreaterThanEquals":{"s3:max-keys":"-1.5"}}`, ctx{"s3:max-keys": {"-1.5"}}, true},
		{"NumericEquals", `{"NumericEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"10"}}, true},
		{"NumericNotEquals on a missing key is true", `{"NumericNotEquals":{"s3:max-keys":"10"}}`, nil, true},
		{"a request value that is not a number matches nothing", `{"NumericEquals":{"s3:max-keys":"10"}}`, ctx{"s3:max-keys": {"ten"}}, false},
		{"a policy value that is not a number matches nothing", `{"NumericEquals":{"s3:max-keys":"0x10"}}`, ctx{"s3:max-keys": {"16"}}, false},
		{"NaN is not a number", `{"NumericEquals":{"s3:max-keys":"NaN"}}`, ctx{"s3:max-keys": {"NaN"}}, false},
		// Date.
		{"DateLessThan with ISO 8601", `{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, ctx{"aws:CurrentTime": {"2029-12-31T23:59:59Z"}}, true},
		{"DateGreaterThan with epoch seconds", `{"DateGreaterThan":{"aws:EpochTime":1700000000}}`, ctx{"aws:EpochTime": {"1700000001"}}, true},
		{"Date compares epoch with ISO 8601", `{"DateEquals":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}`, ctx{"aws:CurrentTime": {"1700000000"}}, true},
		{"Date honours zone offsets", `{"DateEquals":{"aws:CurrentTime":"2020-01-01T01:00:00+01:00"}}`, ctx{"aws:CurrentTime": {"2020-01-01T00:00:00Z"}}, true},
		{"Date accepts a bare date", `{"DateGreaterThanEquals":{"aws:CurrentTime":"2020-01-01"}}`, ctx{"aws:CurrentTime": {"2020-01-01T00:00:00.5Z"}}, true},
		{"DateLessThanEquals", `{"DateLessThanEquals":{"aws:TokenIssueTime":"2020-01-01T00:00:00Z"}}`, ctx{"aws:TokenIssueTime": {"2020-01-01T00:00:00Z"}}, true},
		{"DateNotEquals", `{"DateNotEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, ctx{"aws:CurrentTime": {"2020-01-02T00:00:00Z"}}, true},
		{"an unparseable date matches nothing", `{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, ctx{"aws:CurrentTime": {"yesterday"}}, false},
		// Bool, Binary, Null.
		{"Bool true", `{"Bool":{"aws:SecureTransport":true}}`, ctx{"aws:SecureTransport": {"true"}}, true},
		{"Bool compares without case", `{"Bool":{"aws:SecureTransport":"TRUE"}}`, ctx{"aws:SecureTransport": {"True"}}, true},
		{"Bool false does not match true", `{"Bool":{"aws:SecureTransport":"false"}}`, ctx{"aws:SecureTransport": {"true"}}, false},
		{"Bool on a missing key is false", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, nil, false},
		{"BinaryEquals compares decoded bytes", `{"BinaryEquals":{"x:blob":"QmluYXJ5VmFsdWU="}}`, ctx{"x:blob": {"QmluYXJ5VmFsdWU="}}, true},
		{"BinaryEquals different bytes", `{"BinaryEquals":{"x:blob":"QmluYXJ5VmFsdWU="}}`, ctx{"x:blob": {"QmluYXJ5"}}, false},
		{"Null true: key absent", `{"Null":{"aws:TokenIssueTime":"true"}}`, nil, true},
		{"Null true: key present", `{"Null":{"aws:TokenIssueTime":"true"}}`, ctx{"aws:TokenIssueTime": {"x"}}, false},
		{"Null false: key present", `{"Null":{"aws:TokenIssueTime":false}}`, ctx{"aws:TokenIssueTime": {"x"}}, true},
		{"Null false: key absent", `{"Null":{"aws:TokenIssueTime":"false"}}`, nil, false},
		// IpAddress.
		{"IpAddress IPv4 CIDR", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx{"aws:SourceIp": {"203.0.113.7"}}, true},
		{"IpAddress IPv4 outside", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx{"aws:SourceIp": {"203.0.114.7"}}, false},
		{"IpAddress IPv6 CIDR", `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, ctx{"aws:SourceIp": {"2001:db8:1234:5678::ab"}}, true},
		{"IpAddress IPv6 outside", `{"IpAddress":{"aws:SourceIp":"2001:db8:1234:5678::/64"}}`, ctx{"aws:SourceIp": {"2001:db8:1234:5679::1"}}, false},
		{"IpAddress plain address", `{"IpAddress":{"aws:SourceIp":"192.0.2.1"}}`, ctx{"aws:SourceIp": {"192.0.2.1"}}, true},
		{"IpAddress host bits in the CIDR are masked", `{"IpAddress":{"aws:SourceIp":"10.1.2.3/8"}}`, ctx{"aws:SourceIp": {"10.200.0.1"}}, true},
		{"IpAddress IPv4-mapped IPv6 request", `{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`, ctx{"aws:SourceIp": {"::ffff:192.0.2.9"}}, true},
		{"IPv4 CIDR does not match IPv6", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, ctx{"aws:SourceIp": {"2001:db8::1"}}, false},
		{"NotIpAddress outside the range", `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}`, ctx{"aws:SourceIp": {"198.51.100.1"}}, true},
		{"NotIpAddress inside the range", `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}`, ctx{"aws:SourceIp": {"2001:db8::1"}}, false},
		{"an invalid request address matches nothing", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, ctx{"aws:SourceIp": {"not-an-ip"}}, false},
		// Arn.
		{"ArnLike with a wildcard in the resource part", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/dev-*"}}`, ctx{"aws:PrincipalArn": {"arn:aws:iam::111122223333:role/dev-x"}}, true},
		{"ArnLike: a star does not cross a colon between parts", `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:*:111122223333:b"}}`, ctx{"aws:SourceArn": {"arn:aws:s3:us-east-1:x:111122223333:b"}}, false},
		{"ArnLike: each part matched on its own", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}`, ctx{"aws:SourceArn": {"arn:aws:sns:eu-west-1:111122223333:topic"}}, true},
		{"ArnLike: the resource part keeps its colons", `{"ArnLike":{"aws:SourceArn":"arn:aws:logs:*:*:log-group:*"}}`, ctx{"aws:SourceArn": {"arn:aws:logs:us-east-1:111122223333:log-group:g:*"}}, true},
		{"ArnEquals also takes wildcards", `{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::bucket*"}}`, ctx{"aws:SourceArn": {"arn:aws:s3:::bucket1"}}, true},
		{"ArnEquals is case-sensitive", `{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::Bucket"}}`, ctx{"aws:SourceArn": {"arn:aws:s3:::bucket"}}, false},
		{"ArnLike against a non-ARN value", `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}`, ctx{"aws:SourceArn": {"bucket"}}, false},
		{"ArnLike with a bare star", `{"ArnLike":{"aws:SourceArn":"*"}}`, ctx{"aws:SourceArn": {"anything"}}, true},
		{"ArnNotLike on a missing key is true", `{"ArnNotLike":{"aws:SourceArn":"arn:*"}}`, nil, true},
		{"ArnNotEquals on a matching value", `{"ArnNotEquals":{"aws:SourceArn":"arn:aws:s3:::b"}}`, ctx{"aws:SourceArn": {"arn:aws:s3:::b"}}, false},
		// Variables in condition values.
		{"variable in a StringEquals value", `{"StringEquals":{"s3:prefix":"home/${aws:username}"}}`, ctx{"s3:prefix": {"home/alice"}, "aws:username": {"alice"}}, true},
		{"variable in a StringLike value keeps wildcards around it", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, ctx{"s3:prefix": {"home/alice/docs"}, "aws:username": {"alice"}}, true},
		{"unresolvable variable: the value matches nothing", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, ctx{"s3:prefix": {"home//docs"}}, false},
		{"unresolvable variable under a negated operator", `{"StringNotEquals":{"s3:prefix":"${aws:username}"}}`, ctx{"s3:prefix": {"x"}}, true},
		{"variable default in a condition value", `{"StringEquals":{"aws:RequestTag/team":"${aws:PrincipalTag/team, 'none'}"}}`, ctx{"aws:RequestTag/team": {"none"}}, true},
		{"variable in an ARN value", `{"ArnLike":{"aws:SourceArn":"arn:aws:iam::${aws:PrincipalAccount}:role/*"}}`, ctx{"aws:SourceArn": {"arn:aws:iam::111122223333:role/x"}, "aws:PrincipalAccount": {"111122223333"}}, true},
		{"variable in a numeric value", `{"NumericLessThan":{"s3:max-keys":"${x:limit}"}}`, ctx{"s3:max-keys": {"5"}, "x:limit": {"10"}}, true},
		{"variable beside ? in a StringLike value", `{"StringLike":{"s3:prefix":"*/${aws:username}?/*"}}`, ctx{"s3:prefix": {"x/alice1/y"}, "aws:username": {"alice"}}, true},
		{"variable beside ? needs the extra character", `{"StringLike":{"s3:prefix":"*/${aws:username}?/*"}}`, ctx{"s3:prefix": {"x/alice/y"}, "aws:username": {"alice"}}, false},
		{"variables in a middle segment", `{"StringLike":{"s3:prefix":"*${aws:username}-${aws:PrincipalTag/team}*"}}`, ctx{"s3:prefix": {"xx/bob-red/yy"}, "aws:username": {"bob"}, "aws:principaltag/team": {"red"}}, true},
		{"a variable stays inside one ARN part", `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::${x:v}"}}`, ctx{"aws:SourceArn": {"arn:aws:s3:::a:b"}, "x:v": {"a:b"}}, true},
		{"${*} in StringLike is a literal star", `{"StringLike":{"s3:prefix":"a${*}"}}`, ctx{"s3:prefix": {"ab"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, idp(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":`+tt.cond+`}`), Identity)
			d := Evaluate(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b", Context: tt.ctx}, p)
			if d.Allowed != tt.want {
				t.Errorf("Allowed = %v, want %v", d.Allowed, tt.want)
			}
		})
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		name, pattern, s string
		want             bool
	}{
		{"exact", "abc", "abc", true},
		{"exact mismatch", "abc", "abd", false},
		{"star alone", "*", "", true},
		{"star matches empty", "a*b", "ab", true},
		{"question needs a character", "a?b", "ab", false},
		{"question matches one rune", "a?b", "aéb", true},
		{"question on invalid UTF-8 byte", "a?b", "a\xffb", true},
		{"prefix and suffix must not overlap", "ab*ba", "aba", false},
		{"middle segments in order", "*a*b*c*", "xxaxxbxxcxx", true},
		{"middle segments out of order", "*c*b*a*", "abc", false},
		{"middle segment with question", "*a?c*", "zzabczz", true},
		{"middle segment with question and unicode", "*é?ü*", "xxéxüyy", true},
		{"middle segment with question absent", "*a?c*", "acac", false},
		{"suffix with question", "*?z", "z", false},
		{"suffix with question matches", "*?z", "éz", true},
		{"long question segment falls back", "*" + repeat("?", 70) + "x*", repeat("a", 70) + "x", true},
		{"long question segment fails", "*" + repeat("?", 70) + "x*", repeat("a", 69) + "x", false},
		{"consecutive stars", "a**b", "axyb", true},
		{"leftmost greedy is right", "*ab*abc", "ababc", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := compileGlob(tt.pattern).match(tt.s); got != tt.want {
				t.Errorf("match(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
			}
		})
	}
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

func TestTemplateParsing(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []token
	}{
		{"no variables", "abc", nil},
		{"a variable", "a${aws:username}b", []token{{kind: tokText, text: "a"}, {kind: tokVar, key: "aws:username"}, {kind: tokText, text: "b"}}},
		{"a default", "${aws:PrincipalTag/T , 'x y'}", []token{{kind: tokVar, key: "aws:principaltag/t", def: "x y", hasDef: true}}},
		{"an empty default", "${a:b,''}", []token{{kind: tokVar, key: "a:b", hasDef: true}}},
		{"literal escapes", "${*}${?}${$}", []token{{kind: tokLit, text: "*"}, {kind: tokLit, text: "?"}, {kind: tokLit, text: "$"}}},
		{"unterminated variable stays text", "a${b", []token{{kind: tokText, text: "a${b"}}},
		{"unquoted default stays text", "${a:b, x}", []token{{kind: tokText, text: "${a:b, x}"}}},
		{"empty variable stays text", "${}", []token{{kind: tokText, text: "${}"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseTemplate(tt.in, true)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(token{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// globReference is a plain dynamic-programming matcher used to check the
// linear-time matcher on random inputs.
func globReference(p, s []rune) bool {
	prev := make([]bool, len(s)+1)
	prev[0] = true
	for _, pc := range p {
		cur := make([]bool, len(s)+1)
		if pc == '*' {
			cur[0] = prev[0]
		}
		for j := 1; j <= len(s); j++ {
			switch pc {
			case '*':
				cur[j] = prev[j] || cur[j-1]
			case '?':
				cur[j] = prev[j-1]
			default:
				cur[j] = prev[j-1] && s[j-1] == pc
			}
		}
		prev = cur
	}
	return prev[len(s)]
}

func TestGlobAgreesWithReference(t *testing.T) {
	alphabet := []rune("ab*?é")
	seed := uint64(1)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for i := 0; i < 20000; i++ {
		p := make([]rune, next(9))
		for k := range p {
			p[k] = alphabet[next(len(alphabet))]
		}
		s := make([]rune, next(12))
		for k := range s {
			s[k] = alphabet[next(3)] // subjects use a, b, a literal * and é
			if s[k] == 'b' && next(2) == 0 {
				s[k] = 'é'
			}
		}
		if got, want := compileGlob(string(p)).match(string(s)), globReference(p, s); got != want {
			t.Fatalf("match(%q, %q) = %v, reference says %v", string(p), string(s), got, want)
		}
	}
}
