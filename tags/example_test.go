package tags_test

import (
	"errors"
	"fmt"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/tags"
)

// Example follows tags through a role chain: the first AssumeRole marks
// Project transitive, the chained AssumeRole inherits it, may not override
// it, and the role's own tags sit under the session tags.
func Example() {
	// First AssumeRole: two session tags, Project passed on to later sessions.
	first, inherit, err := tags.Chain(nil,
		[]tags.Tag{{Key: "Project", Value: "blue"}, {Key: "CostCenter", Value: "42"}},
		[]string{"project"})
	fmt.Println(first, inherit, err)

	// Chained AssumeRole trying to change Project.
	_, _, err = tags.Chain(inherit, []tags.Tag{{Key: "PROJECT", Value: "red"}}, nil)
	var te *apierror.Error
	if errors.As(err, &te) {
		fmt.Println(te.Code, te.HTTPStatus())
		fmt.Println(te.Message)
	}

	// Chained AssumeRole adding a tag; the role's tags fill in the rest.
	second, _, _ := tags.Chain(inherit, []tags.Tag{{Key: "Team", Value: "core"}}, nil)
	role := []tags.Tag{{Key: "team", Value: "role-default"}, {Key: "Env", Value: "prod"}}
	principal := tags.Overlay(role, second)
	fmt.Println(principal)
	fmt.Println(tags.Lookup(principal, "TEAM"))
	// Output:
	// [{CostCenter 42} {Project blue}] [{Project blue}] <nil>
	// InvalidParameterValue 400
	// One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.
	// [{Env prod} {Project blue} {Team core}]
	// core true
}
