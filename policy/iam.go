package policy

import (
	"fmt"
	"strconv"
	"strings"
)

// This file is IAM's own check of an identity policy document, the one its
// control plane runs before it stores a document (CreatePolicy,
// CreatePolicyVersion, PutUserPolicy, PutRolePolicy). IAM checks in stages
// and answers with the first stage that fails, each stage looking at every
// statement before the next starts:
//
//  1. syntax: the document's shape, "Syntax errors in policy." for any
//     element unknown, of the wrong type, or given with its Not twin;
//  2. for a managed policy, Version 2012-10-17;
//  3. "legacy parsing": the Effect spelt Allow or Deny exactly, and the
//     values of Date conditions readable as dates or epoch seconds; then
//     the format of every Resource, then of every NotResource, whose first
//     fault is kept for stage 6, and the legacy parser's reading of each
//     statement's resources as long as no fault was kept;
//  4. unique Sids;
//  5. an Action or NotAction in every statement, then a Resource or
//     NotResource in every statement;
//  6. the kept fault of a resource's format;
//  7. the vendor of every Action, then of every NotAction.
//
// The stages and their order are read off LocalStack's AWS-validated
// recording of 78 refused and 13 accepted documents (behaviour §18.2).
// For instance, an unknown Version, an Effect that is no effect ("invalid"),
// an empty Statement list and an unknown condition operator are syntax
// errors there; an Effect spelt "denY", a date "234-13" and a resource of
// too few parts ("arn:aws:s3::example_bucket") fail legacy parsing even in
// a statement without Action; a resource of a bad format ("invalid
// resource") is reported only once every statement has actions and
// resources, and before an action with two colons; a duplicate Sid comes
// before a missing Action, a missing Resource before an action without a
// vendor. STS's session policies do not pass through here: Parse keeps its
// own order and texts (behaviour §6).

// CheckIAM checks an identity policy document as IAM does when it stores
// one, in IAM's order and with IAM's texts; managed asks for the rules of
// managed policies (Version 2012-10-17). Errors are *Error. A document
// CheckIAM accepts still needs Parse, which refuses what IAM's stages leave
// to it (a Principal in an identity policy).
func CheckIAM(document string, managed bool) error {
	if len(document) > MaxDocumentSize {
		return newError(MsgTooLarge, "document has "+strconv.Itoa(len(document))+" bytes")
	}
	root, err := parseJSON(document)
	if err != nil {
		return err
	}
	d, err := iamSyntax(&root)
	if err != nil {
		return err
	}
	if managed && d.version != Version2012 {
		return newError(MsgVersionRequired, "Version "+strconv.Quote(d.version)+" in a managed policy")
	}
	for i := range d.stmts {
		if err := legacyStatement(&d.stmts[i], i); err != nil {
			return err
		}
	}
	kept, refused := resourceStage(d)
	if refused != nil {
		return refused
	}
	if err := sidStage(d); err != nil {
		return err
	}
	if err := presenceStage(d); err != nil {
		return err
	}
	if kept != nil {
		return kept
	}
	return vendorStage(d)
}

// sidStage refuses two statements with the same Sid; empty Sids are not
// compared (recorded accepted).
func sidStage(d *iamDocument) error {
	sids := map[string]int{}
	for i, st := range d.stmts {
		if st.sid == "" {
			continue
		}
		if j, dup := sids[st.sid]; dup {
			return newError(MsgDuplicateSid, "statements "+strconv.Itoa(j)+" and "+strconv.Itoa(i)+" share Sid "+strconv.Quote(st.sid))
		}
		sids[st.sid] = i
	}
	return nil
}

// presenceStage refuses a statement without actions, then one without
// resources (an absent element or an empty list).
func presenceStage(d *iamDocument) error {
	for i, st := range d.stmts {
		if isEmptyList(st.action) {
			return newError(MsgNeedActions, where(i, "has no Action or NotAction, or an empty one"))
		}
	}
	for i, st := range d.stmts {
		if isEmptyList(st.resource) {
			return newError(MsgNeedResources, where(i, "has no Resource or NotResource, or an empty one"))
		}
	}
	return nil
}

// vendorStage checks the vendor of every Action, then of every NotAction.
func vendorStage(d *iamDocument) error {
	for _, not := range [...]bool{false, true} {
		for i, st := range d.stmts {
			if st.notAction != not {
				continue
			}
			for _, a := range stringsOf(st.action) {
				if msg := actionVendor(a); msg != "" {
					return newError(msg, where(i, "action "+strconv.Quote(a)))
				}
			}
		}
	}
	return nil
}

// actionVendor returns IAM's text for what is wrong with the vendor of the
// action a, or "": none (no colon, recorded; or an empty vendor, whose
// refusal is Parse's text, choice), two colons or more (recorded:
// "s3:List:Bucket"), a character other than a letter, a digit, '-' or
// '.' (recorded: "a a"). A wildcard in a vendor is accepted (unrecorded:
// choice).
func actionVendor(a string) string {
	if a == "*" {
		return ""
	}
	vendor, name, ok := strings.Cut(a, ":")
	switch {
	case !ok || vendor == "":
		return MsgVendor
	case strings.Contains(name, ":"):
		return MsgOneColon
	}
	for k := 0; k < len(vendor); k++ {
		c := vendor[k]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '*' || c == '?') {
			return fmt.Sprintf(MsgBadVendor, vendor)
		}
	}
	return ""
}

// iamDocument is a document that passed IAM's syntax stage.
type iamDocument struct {
	version string
	stmts   []iamStatement
}

// iamStatement is one statement that passed IAM's syntax stage. action is
// Action or NotAction (notAction says which), resource likewise; either
// may be nil.
type iamStatement struct {
	sid, effect            string
	action, resource       *jsonValue
	notAction, notResource bool
	cond                   *jsonValue
}

// isEmptyList reports whether v, an Action or Resource element, is absent
// or an empty array.
func isEmptyList(v *jsonValue) bool {
	return v == nil || v.kind == jsonArray && len(v.elems) == 0
}

// iamSyntax is IAM's syntax stage: every element known and of its type. A
// Principal is let through for Parse to refuse.
func iamSyntax(root *jsonValue) (*iamDocument, error) {
	if root.kind != jsonObject {
		return nil, syntaxError("the document is " + root.kind.String() + ", not an object")
	}
	d := &iamDocument{}
	var stmtVal *jsonValue
	for i := range root.members {
		m := &root.members[i]
		switch m.key {
		case "Version":
			if m.val.kind != jsonString || m.val.text != Version2012 && m.val.text != VersionLegacy {
				return nil, syntaxError("Version is neither " + Version2012 + " nor " + VersionLegacy)
			}
			d.version = m.val.text
		case "Id":
			if m.val.kind != jsonString {
				return nil, syntaxError("Id is " + m.val.kind.String() + ", not a string")
			}
		case "Statement":
			stmtVal = &m.val
		default:
			return nil, syntaxError("unknown policy element " + strconv.Quote(m.key))
		}
	}
	if stmtVal == nil {
		return nil, syntaxError("missing required element Statement")
	}
	raw := []jsonValue{*stmtVal}
	switch stmtVal.kind {
	case jsonObject:
	case jsonArray:
		raw = stmtVal.elems
	default:
		return nil, syntaxError("Statement is " + stmtVal.kind.String() + ", not an object or array")
	}
	if len(raw) == 0 {
		return nil, syntaxError("Statement is an empty array")
	}
	d.stmts = make([]iamStatement, len(raw))
	for i := range raw {
		if err := iamStatementSyntax(&d.stmts[i], &raw[i], i); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// iamStatementSyntax reads statement i into st.
func iamStatementSyntax(st *iamStatement, v *jsonValue, i int) error {
	if v.kind != jsonObject {
		return syntaxError(where(i, "is "+v.kind.String()+", not an object"))
	}
	hasEffect := false
	for k := range v.members {
		m := &v.members[k]
		switch m.key {
		case "Sid":
			if m.val.kind != jsonString {
				return syntaxError(where(i, "Sid is "+m.val.kind.String()+", not a string"))
			}
			st.sid = m.val.text
		case "Effect":
			if m.val.kind != jsonString || !equalFoldASCII(m.val.text, string(Allow)) && !equalFoldASCII(m.val.text, string(Deny)) {
				return syntaxError(where(i, "Effect is neither Allow nor Deny, in any case"))
			}
			st.effect, hasEffect = m.val.text, true
		case "Action", "NotAction", "Resource", "NotResource":
			if err := stringsSyntax(&m.val, i, m.key); err != nil {
				return err
			}
			isAction := m.key == "Action" || m.key == "NotAction"
			slot, not := &st.resource, &st.notResource
			if isAction {
				slot, not = &st.action, &st.notAction
			}
			if *slot != nil {
				return syntaxError(where(i, "has both "+m.key+" and its twin"))
			}
			*slot, *not = &m.val, m.key[0] == 'N'
		case "Condition":
			if err := conditionSyntax(&m.val, i); err != nil {
				return err
			}
			st.cond = &m.val
		case "Principal", "NotPrincipal":
			// Parse refuses a principal in an identity policy.
		default:
			return syntaxError(where(i, "unknown element "+strconv.Quote(m.key)))
		}
	}
	if !hasEffect {
		return syntaxError(where(i, "missing required element Effect"))
	}
	return nil
}

// stringsSyntax accepts a string or an array of strings, empty or not.
func stringsSyntax(v *jsonValue, i int, name string) error {
	switch v.kind {
	case jsonString:
		return nil
	case jsonArray:
		for _, e := range v.elems {
			if e.kind != jsonString {
				return syntaxError(where(i, name+" holds "+e.kind.String()+", not a string"))
			}
		}
		return nil
	}
	return syntaxError(where(i, name+" is "+v.kind.String()+", not a string or array"))
}

// conditionSyntax accepts a Condition element Parse would accept: known
// operators, each an object of keys with values (IAM answers an unknown
// operator with a syntax error, not with a text of its own).
func conditionSyntax(v *jsonValue, i int) error {
	if v.kind != jsonObject {
		return syntaxError(where(i, "Condition is "+v.kind.String()+", not an object"))
	}
	for _, om := range v.members {
		if _, ok := parseOperator(om.key); !ok {
			return syntaxError(where(i, "unknown condition operator "+strconv.Quote(om.key)))
		}
		if om.val.kind != jsonObject || len(om.val.members) == 0 {
			return syntaxError(where(i, "Condition."+om.key+" is not an object of keys"))
		}
		for _, km := range om.val.members {
			if _, err := conditionValues(&km.val, i, om.key+"."+km.key); err != nil {
				return err
			}
		}
	}
	return nil
}

// equalFoldASCII reports whether a and b are equal ignoring ASCII case.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for k := 0; k < len(a); k++ {
		x, y := a[k], b[k]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// legacyStatement is the first part of IAM's "legacy parsing" of a
// statement: its Effect spelt exactly, the values of its Date conditions
// readable.
func legacyStatement(st *iamStatement, i int) error {
	if st.effect != string(Allow) && st.effect != string(Deny) {
		return newError(MsgLegacy, where(i, "Effect "+strconv.Quote(st.effect)+" is not spelt Allow or Deny"))
	}
	if st.cond == nil {
		return nil
	}
	for _, om := range st.cond.members {
		if op, _ := parseOperator(om.key); op.fam != famDate {
			continue
		}
		for _, km := range om.val.members {
			vals, _ := conditionValues(&km.val, i, "")
			for _, v := range vals {
				if !legacyDate(v) {
					return newError(MsgLegacy, where(i, "Condition."+om.key+"."+km.key+" value "+strconv.Quote(v)+" is not a date"))
				}
			}
		}
	}
	return nil
}

// legacyDate reports whether IAM's legacy parser reads s as a date: epoch
// seconds from 0 to 2^63-1 when s has no "t" and no "-"; otherwise an ISO
// 8601 date and time of the ranges Java's dates allow, read leniently as
// the recording shows: any year from -292275054 to 292278993, an hour of
// one digit
// ("2016-12-13t2:00:00.593194+23" is accepted), a zone offset of two
// digits for hours. The recorded refusals are "sdfdsf", "234-13" (month
// 13), "2016-12-13t2:00:00.593194+1" (a one-digit offset),
// "2016-12-13t2:00:00.1999999999+10:59" (ten digits of fraction) and
// "9223372036854775808" (behaviour §18.2). A value holding a policy
// variable ("${aws:TokenIssueTime}") is let through (unrecorded: choice).
func legacyDate(s string) bool {
	if strings.Contains(s, "${") {
		return true
	}
	s = strings.ToLower(s)
	if !strings.ContainsAny(s, "t-") {
		return legacyIn(s, 0, 1<<63-1)
	}
	date, clock, _ := strings.Cut(s, "t")
	neg := strings.HasPrefix(date, "-")
	if neg {
		date = date[1:]
	}
	parts := strings.SplitN(date, "-", 4)
	if len(parts) > 3 {
		return false
	}
	year := parts[0]
	if neg {
		year = "-" + year
	}
	if !legacyIn(year, -292275054, 292278993) ||
		len(parts) > 1 && !legacyIn(parts[1], 1, 12) || len(parts) > 2 && !legacyIn(parts[2], 1, 31) {
		return false
	}
	// The clock's parts: hours, minutes, then seconds with fraction and
	// zone; a zone's minutes come after a fourth colon.
	hms := strings.SplitN(clock, ":", 4)
	if hms[0] != "" && !legacyIn(hms[0], 0, 23) || len(hms) > 1 && !legacyIn(hms[1], 0, 59) {
		return false
	}
	if len(hms) < 3 {
		return true
	}
	sec := hms[2]
	if z := strings.IndexByte(sec, 'z'); z >= 0 {
		if z != len(sec)-1 {
			return false
		}
		sec = sec[:z]
	} else if z := strings.IndexAny(sec, "+-"); z >= 0 {
		// A negative offset is read like a positive one (unrecorded:
		// choice).
		zone := sec[z+1:]
		if len(zone) != 2 || !legacyIn(zone, 0, 23) {
			return false
		}
		if len(hms) > 3 && (len(hms[3]) != 2 || !legacyIn(hms[3], 0, 59)) {
			return false
		}
		sec = sec[:z]
	}
	whole, frac, hasFrac := strings.Cut(sec, ".")
	return legacyIn(whole, 0, 59) && (!hasFrac || legacyIn(frac, 0, 999999999))
}

// legacyIn reports whether s, decimal digits with an optional sign, is an
// integer from lo to hi.
func legacyIn(s string, lo, hi int64) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && lo <= n && n <= hi
}

// resourceStage checks the format of every Resource, then of every
// NotResource, and returns the first fault found, which IAM reports only
// after its later stages (kept); until a fault is found, each statement's
// resources also go through the legacy parser, whose refusal is reported
// at once (err). Which fault comes first when several resources have one:
// the one recording with two faulty resources in a list fits the first in
// document order (choice).
func resourceStage(d *iamDocument) (kept, err *Error) {
	for _, not := range [...]bool{false, true} {
		for i := range d.stmts {
			st := &d.stmts[i]
			if st.resource == nil || st.notResource != not {
				continue
			}
			list := stringsOf(st.resource)
			for _, r := range list {
				if msg := resourceFormat(r); msg != "" && kept == nil {
					kept = newError(msg, where(i, "resource "+strconv.Quote(r)))
				}
			}
			if kept != nil {
				continue
			}
			for _, r := range list {
				if !legacyResource(r) {
					return nil, newError(MsgLegacy, where(i, "resource "+strconv.Quote(r)+" has too few parts"))
				}
			}
		}
	}
	return kept, nil
}

// stringsOf returns the strings of v, a string or an array of strings.
func stringsOf(v *jsonValue) []string {
	if v.kind == jsonString {
		return []string{v.text}
	}
	out := make([]string, len(v.elems))
	for k := range v.elems {
		out[k] = v.elems[k].text
	}
	return out
}

// partitions are the AWS partitions a resource may name.
var partitions = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true,
	"aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true}

// iamPathPrefixes are the starts of an IAM resource's path IAM accepts
// besides "*" and "root", as its refusal lists them (MsgIAMPath).
var iamPathPrefixes = [...]string{"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/",
	"server-certificate/", "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/"}

// resourceFormat returns IAM's text for what is wrong with the format of
// the resource r, or "". IAM splits r at its colons and reads the second
// part as the partition, whatever the first (recorded: "a:b:cadfsdf" and
// "aws:s3:::example_bucket" are refused for their partitions, "b" and
// "s3", the text naming the ARN IAM read, its missing parts as "*"). A
// region is refused in IAM resources, and in S3 resources that name no
// account: the recording refuses arn:aws:s3:us-east-1::example_bucket and
// accepts an access point's arn:aws:s3:us-west-2:123456789012:accesspoint/…
// (the account as the line between them is fakests' reading). Unrecorded
// choices: every AWS partition and any partition with a wildcard or a
// policy variable is accepted; a resource whose first part is not "arn",
// which Parse cannot match, is refused with IAM's text for a resource
// without a colon.
func resourceFormat(r string) string {
	if r == "*" {
		return ""
	}
	first, rest, ok := strings.Cut(r, ":")
	if !ok {
		return fmt.Sprintf(MsgResourceFormat, r)
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if !partitions[partition] && !strings.ContainsAny(partition, "*?") && !strings.Contains(partition, "${") {
		return partitionText(partition, rest)
	}
	if !ok {
		return MsgResourceVendor
	}
	service, afterService, _ := strings.Cut(rest, ":")
	hasRegion := !strings.HasPrefix(afterService, ":")
	_, afterRegion, _ := strings.Cut(afterService, ":")
	account, path, _ := strings.Cut(afterRegion, ":")
	switch {
	case service == "iam" && hasRegion:
		return fmt.Sprintf(MsgIAMRegion, r)
	case service == "s3" && hasRegion && account == "":
		return fmt.Sprintf(MsgS3Region, r)
	case service == "iam" && !iamPath(path):
		return MsgIAMPath
	case first != "arn":
		return fmt.Sprintf(MsgResourceFormat, r)
	}
	return ""
}

// partitionText is IAM's refusal of partition, rest being what follows
// it: the ARN as IAM read it, each of its four missing parts as "*".
func partitionText(partition, rest string) string {
	parts := strings.SplitN(rest, ":", 4)
	if len(parts) == 1 && parts[0] == "" {
		parts = nil
	}
	var arn [4]string
	for k := range arn {
		arn[k] = "*"
		if k < len(parts) {
			arn[k] = parts[k]
		}
	}
	return fmt.Sprintf(MsgPartition, partition, partition, arn[0], arn[1], arn[2], arn[3])
}

// iamPath reports whether IAM accepts path as an IAM resource's path.
func iamPath(path string) bool {
	if path == "*" || path == "root" {
		return true
	}
	for _, p := range iamPathPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// legacyResource reports whether IAM's legacy parser reads the resource r:
// "*", or a resource whose third part (the service) is not empty and which
// has six parts at least or no empty part between two colons (recorded:
// arn:aws:s3::example_bucket, arn:aws::::example_bucket and arn:aws::fdsasf
// are refused).
func legacyResource(r string) bool {
	if r == "*" {
		return true
	}
	parts := strings.SplitN(r, ":", 4)
	if len(parts) < 3 || parts[2] == "" {
		return false
	}
	return strings.Count(r, ":") >= 5 || !strings.Contains(r, "::")
}
