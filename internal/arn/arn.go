// Package arn builds and splits Amazon Resource Names, the one place
// fakests does either:
//
//	arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE
//
// IAM and STS ARNs have an empty region; fakests serves the aws partition.
package arn

import "strings"

// ARN is an Amazon Resource Name split into its parts. Resource is
// everything after the fifth colon, colons included.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// Parse splits s. It reports false unless s starts with "arn:" and has at
// least five more colon-separated fields; no field is checked further.
func Parse(s string) (ARN, bool) {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return ARN{}, false
	}
	var f [4]string
	for i := range f {
		var found bool
		f[i], rest, found = strings.Cut(rest, ":")
		if !found {
			return ARN{}, false
		}
	}
	return ARN{Partition: f[0], Service: f[1], Region: f[2], Account: f[3], Resource: rest}, true
}

// String joins the parts.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// IAM returns the IAM ARN of resource in account: arn:aws:iam::ACCOUNT:RESOURCE,
// such as IAM(acct, "root") or IAM(acct, "user/"+name).
func IAM(account, resource string) string {
	return "arn:aws:iam::" + account + ":" + resource
}

// STS returns the STS ARN of resource in account: arn:aws:sts::ACCOUNT:RESOURCE,
// such as STS(acct, "assumed-role/"+role+"/"+session).
func STS(account, resource string) string {
	return "arn:aws:sts::" + account + ":" + resource
}

// Root returns the ARN of account's root user, arn:aws:iam::ACCOUNT:root.
func Root(account string) string { return IAM(account, "root") }
