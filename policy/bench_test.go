package policy

import (
	"strconv"
	"strings"
	"testing"
)

// typical2KB is a realistic identity policy of about 2 KB.
const typical2KB = `{
  "Version": "2012-10-17",
  "Id": "DataTeamAccess",
  "Statement": [
    {
      "Sid": "ListOwnPrefix",
      "Effect": "Allow",
      "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
      "Resource": "arn:aws:s3:::corp-data",
      "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*", "shared/*"]}}
    },
    {
      "Sid": "ReadWriteOwnObjects",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectVersion"],
      "Resource": ["arn:aws:s3:::corp-data/home/${aws:username}/*", "arn:aws:s3:::corp-data/shared/*"]
    },
    {
      "Sid": "TeamTables",
      "Effect": "Allow",
      "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
      "Resource": "arn:aws:dynamodb:*:111122223333:table/${aws:PrincipalTag/team}-*",
      "Condition": {
        "ForAllValues:StringEquals": {"dynamodb:Attributes": ["id", "owner", "payload", "updatedAt"]},
        "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}
      }
    },
    {
      "Sid": "AssumeTeamRoles",
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Resource": "arn:aws:iam::*:role/team/${aws:PrincipalTag/team}/*",
      "Condition": {
        "Bool": {"aws:MultiFactorAuthPresent": "true"},
        "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}
      }
    },
    {
      "Sid": "TagOnlyWithTeam",
      "Effect": "Allow",
      "Action": ["ec2:CreateTags", "ec2:RunInstances"],
      "Resource": "*",
      "Condition": {
        "StringEquals": {"aws:RequestTag/team": "${aws:PrincipalTag/team}"},
        "ForAllValues:StringLike": {"aws:TagKeys": ["team", "project", "cost-*"]}
      }
    },
    {
      "Sid": "DenyOutsideCorpNetwork",
      "Effect": "Deny",
      "NotAction": ["sts:GetCallerIdentity", "iam:ChangePassword"],
      "Resource": "*",
      "Condition": {
        "NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24", "2001:db8::/32"]},
        "Bool": {"aws:ViaAWSService": "false"}
      }
    },
    {
      "Sid": "DenyAfterContractEnd",
      "Effect": "Deny",
      "Action": "*",
      "Resource": "*",
      "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2031-12-31T23:59:59Z"}}
    },
    {
      "Sid": "DenyOtherRegions",
      "Effect": "Deny",
      "NotAction": ["iam:*", "sts:*", "cloudfront:*", "route53:*"],
      "Resource": "*",
      "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}
    }
  ]
}`

func BenchmarkParseTypical2KB(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(typical2KB)))
	for b.Loop() {
		if _, err := Parse(typical2KB, Identity); err != nil {
			b.Fatal(err)
		}
	}
}

// tenStatements builds a 10-statement policy where every statement has
// conditions; the benchmark request matches most of them.
func tenStatements() string {
	var sb strings.Builder
	sb.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; i < 10; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		n := strconv.Itoa(i)
		sb.WriteString(`{"Sid":"S` + n + `","Effect":"Allow","Action":["s3:Get*","s3:List*","ec2:Describe` + n + `"],` +
			`"Resource":["arn:aws:s3:::bucket-` + n + `/*","arn:aws:s3:::shared/${aws:username}/*"],` +
			`"Condition":{"StringEquals":{"aws:PrincipalTag/team":["red","blue"]},` +
			`"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},` +
			`"ForAllValues:StringLike":{"aws:TagKeys":["team","cost-*"]},` +
			`"DateLessThan":{"aws:CurrentTime":"2031-01-01T00:00:00Z"},` +
			`"StringNotEqualsIfExists":{"aws:RequestedRegion":"us-east-1"}}}`)
	}
	sb.WriteString(`]}`)
	return sb.String()
}

func BenchmarkEvaluate10Statements(b *testing.B) {
	p, err := Parse(tenStatements(), Identity)
	if err != nil {
		b.Fatal(err)
	}
	req := &Request{
		Action:   "s3:GetObject",
		Resource: "arn:aws:s3:::shared/alice/report.csv",
		Context: map[string][]string{
			"aws:username":          {"alice"},
			"aws:PrincipalTag/team": {"blue"},
			"aws:SourceIp":          {"10.20.30.40"},
			"aws:TagKeys":           {"team", "cost-center"},
			"aws:CurrentTime":       {"2026-05-01T12:00:00Z"},
			"aws:RequestedRegion":   {"eu-west-1"},
		},
	}
	if d := Evaluate(req, p); !d.Allowed || len(d.Matched) != 10 {
		b.Fatalf("benchmark request should match all statements: %+v", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(req, p)
	}
}

// BenchmarkGlobPathological measures a pattern that makes backtracking
// matchers explode; it must stay linear.
func BenchmarkGlobPathological(b *testing.B) {
	g := compileGlob(strings.Repeat("*a", 30) + "*b")
	s := strings.Repeat("a", 4096)
	b.ReportAllocs()
	for b.Loop() {
		if g.match(s) {
			b.Fatal("matched")
		}
	}
}

// BenchmarkGlobHostile measures the worst case of issue 11: 2,003-character
// patterns whose '?' segments nearly match everywhere in a 10,000-character
// subject. A matcher that tries every position costs about len(pattern) per
// subject character here; the bit-parallel one ⌈2,001/64⌉ = 32 words.
func BenchmarkGlobHostile(b *testing.B) {
	subject := strings.Repeat("a", 10000)
	for _, c := range []struct{ name, pattern string }{
		{"a?-pairs", "*" + strings.Repeat("a?", 1000) + "b*"},
		{"a-2000?-b", "*a" + strings.Repeat("?", 2000) + "b*"},
		{"literal-2000a-b", "*" + strings.Repeat("a", 2000) + "b*"},
	} {
		b.Run(c.name, func(b *testing.B) {
			g := compileGlob(c.pattern)
			b.ReportAllocs()
			for b.Loop() {
				if g.match(subject) {
					b.Fatal("matched")
				}
			}
		})
	}
}
