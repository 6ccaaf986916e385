package policy_test

import (
	"fmt"

	"github.com/fakests/fakests/policy"
)

// Example parses a role trust policy and asks whether two callers may assume
// the role.
func Example() {
	trust, err := policy.Parse(`{
	  "Version": "2012-10-17",
	  "Statement": [{
	    "Sid": "TrustAccount",
	    "Effect": "Allow",
	    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
	    "Action": "sts:AssumeRole",
	    "Condition": {"StringEquals": {"sts:ExternalId": "ticket-42"}}
	  }]
	}`, policy.Resource)
	if err != nil {
		fmt.Println("MalformedPolicyDocument:", err)
		return
	}
	trust.Name = "trust"

	alice := &policy.Principal{
		Type:    "AWS",
		Account: "111122223333",
		IDs:     []string{"arn:aws:iam::111122223333:user/alice"},
	}
	d := policy.Evaluate(&policy.Request{
		Principal: alice,
		Action:    "sts:AssumeRole",
		Context:   map[string][]string{"sts:ExternalId": {"ticket-42"}},
	}, trust)
	fmt.Println("with the external ID:", d.Allowed, d.Matched[0].Sid, d.Matched[0].Actions)

	d = policy.Evaluate(&policy.Request{Principal: alice, Action: "sts:AssumeRole"}, trust)
	fmt.Println("without it:", d.Allowed)

	_, err = policy.Parse(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`, policy.Identity)
	fmt.Println(err)
	// Output:
	// with the external ID: true TrustAccount [sts:AssumeRole]
	// without it: false
	// Policy document should not specify a principal.
}
