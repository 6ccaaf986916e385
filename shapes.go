package fakests

import "strings"

// Shape checks on the hot path, written as loops rather than regular
// expressions: each is called on every AssumeRole-family request.

// isARNShape reports whether s has the shape STS checks first on an ARN
// parameter: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE with partition,
// service and resource non-empty (facts §10: ^arn:[^:]+:[^:]+:[^:]*:[^:]*:[^:]+$;
// the resource may not contain a colon).
func isARNShape(s string) bool {
	if !strings.HasPrefix(s, "arn:") {
		return false
	}
	parts := strings.Split(s[len("arn:"):], ":")
	return len(parts) == 5 && parts[0] != "" && parts[1] != "" && parts[4] != ""
}

// isAccountID reports whether s is a 12-digit account ID.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isEntityName reports whether s is an IAM user or role name: 1–64
// characters of [\w+=,.@-].
func isEntityName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !nameChar(c) {
			return false
		}
	}
	return true
}
