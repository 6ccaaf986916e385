// Package sigv4 verifies AWS Signature Version 4 on requests as a server (or an in-process
// adapter) receives them: Authorization-header auth and presigned query-string auth.
//
// It is not the SDK's signer run backwards. It rebuilds the canonical request from the
// client's own SignedHeaders, so it accepts what botocore signs (content-type;host;x-amz-date,
// plus x-amz-security-token) as well as what the Go SDK signs (content-length and amz-sdk-*
// too); see behaviour §19.
//
// # Use
//
//	v := sigv4.NewVerifier() // one per engine: it caches derived signing keys
//
//	sig, err := sigv4.Parse(r)
//	switch {
//	case err != nil:
//		return err // *apierror.Error: IncompleteSignature, MissingAuthenticationToken, ...
//	case sig == nil:
//		// unsigned: fine for AssumeRoleWithWebIdentity/SAML (behaviour §1.4), otherwise
//		return sigv4.MissingAuthenticationToken()
//	}
//	if err := v.Validate(sig, time.Now(), "sts", region); err != nil {
//		return err // stale, future, host unsigned, wrong scope: SignatureDoesNotMatch
//	}
//	secret, ok := lookup(sig.AccessKeyID, sig.SecurityToken) // InvalidClientTokenId is yours
//	if err := v.Verify(r, body, sig, secret, time.Now()); err != nil {
//		return err // SignatureDoesNotMatch
//	}
//
// Freshness is judged against the now the caller passes; for the engine that is the wall
// clock, not the engine's clock. Every failure is an *apierror.Error carrying STS's code, HTTP status
// and message; the texts are pinned in the tests and their sources named in errors.go.
//
// A request that a Go client built (and never sent) verifies too: Host is read from r.Host or
// r.URL.Host, and a signed content-length without a Content-Length header is taken from
// r.ContentLength, else len(body).
//
// # Where it knowingly differs from AWS
//
//   - SigV4A (AWS4-ECDSA-P256-SHA256), which the STS auth resolver lists but clients use only
//     on request, is rejected as IncompleteSignature "Unsupported AWS 'algorithm'".
//   - Presigned requests: by default X-Amz-Expires, when present, is the backward freshness
//     window (15 minutes when absent). Real STS is reported to ignore X-Amz-Expires and
//     always allow 15 minutes; Options.IgnorePresignedExpires does that. Either way the date
//     may be at most 15 minutes in the future. The expired text for windows other than 15
//     minutes, and X-Amz-Expires validation texts (S3's), are unverified.
//   - The order of checks follows AWS's auth layer (missing parts, date format, freshness,
//     host signed, algorithm, credential shape, scope, key, signature) except that Parse reports
//     the algorithm and credential shape before freshness is known.
//   - The payload hash is always sha256(body) for header auth; X-Amz-Content-Sha256 is not
//     trusted on its own, and UNSIGNED-PAYLOAD is honoured only for presigned requests, where
//     both sha256(body) (the Go SDK, botocore and the JS SDK presign STS calls with the empty
//     body's hash) and UNSIGNED-PAYLOAD (S3's presigned URLs) are accepted. VerifyBody tells
//     the caller when the body was not signed, so that it is not trusted.
//   - The SignatureDoesNotMatch text omits the "canonical string should have been" appendix
//     some AWS services add (behaviour §10 shows STS's text without it).
//   - Header values are trimmed of spaces and tabs and inner runs of spaces collapsed (the Go
//     SDK's rule); botocore also folds inner tabs, so a header value with an inner tab signed by
//     botocore would not verify.
//   - Authorization headers over 16 KiB and presigned query strings over 64 KiB are refused as
//     IncompleteSignature with a text of our own.
//   - The canonical URI: the path is normalised (empty, "." and ".." segments removed, as
//     botocore and the JS SDK do and SigV4 asks) except when the scope names S3 (s3,
//     s3-object-lambda, s3express), then escaped once more for every service, S3 included
//     (real S3 escapes once; sign S3-style requests with the Go signer's defaults).
//   - SignedHeaders must be lower-case, sorted and free of empty or repeated names; AWS builds
//     the canonical request from the sorted, lower-cased names, so another list is
//     SignatureDoesNotMatch (reported for unsorted and upper-case lists; the rest is ours).
//   - A second Authorization header is combined with the first (", "), as HTTP combines a
//     repeated field, and so is malformed: IncompleteSignature (AWS's answer is unknown).
//   - An X-Amz-Security-Token header need not be signed, as AWS's query services accept; in a
//     presigned query every parameter but X-Amz-Signature is signed, the token included.
//
// Section numbers (§n, "behaviour §n") refer to the behaviour record,
// docs/behaviour.md in this module, which gives the source of each AWS
// behaviour followed here and says which are fakests' own choices.
package sigv4
