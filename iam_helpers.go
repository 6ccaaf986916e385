package fakests

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/tags"
)

// This file holds the small rules IAM's operations share: paths, request
// tags, merging and removing tags, sorting (behaviour §18).

// maxEntityTags is how many tags an IAM user, role, policy or provider may
// carry (IAM User Guide, reference_iam-quotas).
const maxEntityTags = 50

// pathOr is a Path or PathPrefix member, "/" when absent.
func pathOr(p *string) string {
	if p == nil {
		return "/"
	}
	return *p
}

// checkPath refuses a path that is not "/" or "/…/", with IAM's own text
// rather than the pattern template (recorded for CreateVirtualMFADevice;
// the stackd capture identity_inputs.json shows the code for users).
func checkPath(path string) error {
	if !pathRE.MatchString(path) {
		return newError(apierror.CodeValidationError, msgInvalidPath)
	}
	return nil
}

// requestTagsIAM turns a request's tags into the model's, refusing keys
// given twice, ignoring case, with InvalidInput "Duplicate tag keys found.
// Please note that Tag keys are case insensitive." (recorded for CreateRole
// and TagRole, "a" and "A" included). The model's validation has already
// required each tag's key and value.
func requestTagsIAM(ts []types.Tag) ([]tags.Tag, error) {
	return requestTagsWith(ts, strings.EqualFold, msgDuplicateTags)
}

// requestPolicyTags is requestTagsIAM for CreatePolicy, whose tag keys are
// case-sensitive: "a" and "A" are two tags, and only a key given twice
// exactly is InvalidInput "Duplicate tag keys found." (recorded).
func requestPolicyTags(ts []types.Tag) ([]tags.Tag, error) {
	return requestTagsWith(ts, func(a, b string) bool { return a == b }, msgDuplicateTagsBare)
}

// requestTagsWith converts ts, refusing two keys same reports equal with
// InvalidInput dupMsg.
func requestTagsWith(ts []types.Tag, same func(a, b string) bool, dupMsg string) ([]tags.Tag, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	out := make([]tags.Tag, 0, len(ts))
	for _, t := range ts {
		k := aws.ToString(t.Key)
		for _, o := range out {
			if same(o.Key, k) {
				return nil, newError(apierror.CodeInvalidInput, dupMsg)
			}
		}
		out = append(out, tags.Tag{Key: k, Value: aws.ToString(t.Value)})
	}
	return out, nil
}

// mergeTags returns old with add applied: a key already there (ignoring
// case) takes the new key and value. More than fifty tags in all is
// LimitExceeded (recorded for OIDC providers). old is left as it was.
func mergeTags(old, add []tags.Tag) ([]tags.Tag, error) {
	out := slices.Clone(old)
	for _, t := range add {
		i := slices.IndexFunc(out, func(o tags.Tag) bool { return strings.EqualFold(o.Key, t.Key) })
		if i >= 0 {
			out[i] = t
			continue
		}
		out = append(out, t)
	}
	if len(out) > maxEntityTags {
		return nil, newError(apierror.CodeLimitExceeded, msgTagLimit)
	}
	return out, nil
}

// removeTags returns old without the keys (ignoring case); old is left as
// it was.
func removeTags(old []tags.Tag, keys []string) []tags.Tag {
	out := make([]tags.Tag, 0, len(old))
	for _, t := range old {
		if !slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, t.Key) }) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// paginateTags lists tags by key for the List*Tags operations.
func paginateTags(ts []tags.Tag, marker *string, maxItems *int32) ([]types.Tag, *string, error) {
	sorted := slices.Clone(ts)
	sortBy(sorted, func(t tags.Tag) string { return sortKey(t.Key) })
	page, next, err := paginate(sorted, func(t tags.Tag) string { return sortKey(t.Key) }, marker, maxItems)
	if err != nil {
		return nil, nil, err
	}
	out := make([]types.Tag, 0, len(page))
	for _, t := range page {
		out = append(out, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	return out, next, nil
}

// sortBy sorts s by key.
func sortBy[T any](s []T, key func(T) string) {
	slices.SortFunc(s, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}
