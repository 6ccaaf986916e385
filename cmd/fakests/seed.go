package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fakests/fakests"
)

// This file is -seed: a declarative JSON file of the identities a server
// starts with when it has no state yet (and after a reset). Its members
// mirror the Go specs (fakests.UserSpec, RoleSpec, ...) in camelCase;
// testdata/seed.example.json shows every member. Unknown members are
// errors, so a typo never goes unnoticed. Policy documents may be JSON
// strings, as the Go specs take them, or JSON objects.
//
// A file that is not what this format allows stops the start with the
// file, the JSON path of the member in it and what is wrong:
//
//	seed file ids.json: $.users[1].accessKeys[0].secretAccessKey: missing
//
// The seed is read and checked once, at start; applying it to an engine
// (at start and on reset) creates, in order: managed policies, users (with
// their inline and attached policies, tags, fixed access keys and MFA
// devices), roles, OIDC and SAML providers, organizations, regions.

// seedFile is a parsed seed file, ready to apply.
type seedFile struct {
	name string // the file, for errors
	// policies, users, ... hold the entities in file order, each with its
	// JSON path.
	policies      []seedPolicy
	users         []seedUser
	roles         []seedRole
	oidcProviders []seedOIDC
	samlProviders []seedSAML
	orgs          []seedOrg
	regions       []seedRegions
}

// seedPolicy is a managed policy (fakests.Engine.CreateManagedPolicy).
type seedPolicy struct {
	path                    string
	account, name, document string
}

// seedUser is a user (fakests.UserSpec) with fixed access keys and MFA
// devices.
type seedUser struct {
	path       string
	spec       fakests.UserSpec
	named      []seedNamedPolicy // inline policies with a name
	accessKeys []seedKey
	mfa        []seedMFA
}

// seedNamedPolicy is an inline policy given with its name.
type seedNamedPolicy struct {
	path, name, document string
}

// seedKey is a fixed access key of a user.
type seedKey struct {
	path             string
	accessKeyID      string
	secretAccessKey  string
	inactive         bool
	accessKeyIDPath  string
	secretAccessPath string
}

// seedMFA is a virtual MFA device of a user with a fixed seed.
type seedMFA struct {
	path             string
	name, base32Seed string
}

// seedRole is a role (fakests.RoleSpec).
type seedRole struct {
	path  string
	spec  fakests.RoleSpec
	named []seedNamedPolicy
}

// seedOIDC is an OIDC provider (fakests.OIDCProviderSpec).
type seedOIDC struct {
	path string
	spec fakests.OIDCProviderSpec
}

// seedSAML is a SAML provider (fakests.SAMLProviderSpec).
type seedSAML struct {
	path string
	spec fakests.SAMLProviderSpec
}

// seedOrg is an organization (fakests.OrganizationSpec).
type seedOrg struct {
	path string
	spec fakests.OrganizationSpec
}

// seedRegions is one account's region settings.
type seedRegions struct {
	path                    string
	account                 string
	enable, disable, noSTS  []string
	enablePath, disablePath string
	noSTSPath               string
}

// seedError is what is wrong with a seed file, and where.
type seedError struct {
	file, path, msg string
}

func (e *seedError) Error() string {
	return fmt.Sprintf("seed file %s: %s: %s", e.file, e.path, e.msg)
}

// loadSeed reads and checks the seed file name.
func loadSeed(name string) (*seedFile, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("seed file: %w", err)
	}
	return parseSeed(name, data)
}

// parseSeed parses a seed file's bytes; name is for errors.
func parseSeed(name string, data []byte) (*seedFile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, &seedError{name, syntaxWhere(data, err), "not JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	if rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return nil, &seedError{name, syntaxWhere(data, nil, int64(len(data)-len(rest))), "more JSON after the seed object"}
	}
	p := &seedParser{file: name}
	sf := &seedFile{name: name}
	p.parse(sf, node{root, "$"})
	if p.err != nil {
		return nil, p.err
	}
	return sf, nil
}

// syntaxWhere says where in data a decoding error happened: "line L,
// column C" from the error's offset, or the given offset.
func syntaxWhere(data []byte, err error, offset ...int64) string {
	off := int64(len(data))
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case len(offset) > 0:
		off = offset[0]
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	off = min(max(off, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Sprintf("line %d, column %d (byte %d)", line, col, off)
}

// node is a decoded JSON value and its path in the file.
type node struct {
	v    any
	path string
}

// seedParser turns decoded JSON into a seedFile, stopping at the first
// error.
type seedParser struct {
	file string
	err  error
}

// fail records the first error.
func (p *seedParser) fail(path, format string, args ...any) {
	if p.err == nil {
		p.err = &seedError{p.file, path, fmt.Sprintf(format, args...)}
	}
}

// kind names a decoded JSON value's type for errors.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// object returns n's members, checking that n is an object with only the
// allowed members (those ending in "*" are required; the "*" is not part
// of the name).
func (p *seedParser) object(n node, allowed ...string) map[string]node {
	m, ok := n.v.(map[string]any)
	if !ok {
		p.fail(n.path, "must be an object, not %s", kind(n.v))
		return nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = strings.TrimSuffix(a, "*")
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make(map[string]node, len(m))
	for _, k := range keys {
		if !slices.Contains(names, k) {
			p.fail(n.path, "unknown member %q (allowed: %s)", k, strings.Join(names, ", "))
			return nil
		}
		out[k] = node{m[k], n.path + "." + k}
	}
	for i, a := range allowed {
		if strings.HasSuffix(a, "*") {
			if _, ok := m[names[i]]; !ok {
				p.fail(n.path+"."+names[i], "missing")
				return nil
			}
		}
	}
	return out
}

// array returns n's elements, or nil for an absent member.
func (p *seedParser) array(n node) []node {
	if n.path == "" {
		return nil
	}
	a, ok := n.v.([]any)
	if !ok {
		p.fail(n.path, "must be an array, not %s", kind(n.v))
		return nil
	}
	out := make([]node, len(a))
	for i, v := range a {
		out[i] = node{v, fmt.Sprintf("%s[%d]", n.path, i)}
	}
	return out
}

// str returns n as a string; "" for an absent member.
func (p *seedParser) str(n node) string {
	if n.path == "" {
		return ""
	}
	s, ok := n.v.(string)
	if !ok {
		p.fail(n.path, "must be a string, not %s", kind(n.v))
	}
	return s
}

// nonEmpty returns n as a string that must not be empty.
func (p *seedParser) nonEmpty(n node) string {
	s := p.str(n)
	if s == "" && p.err == nil {
		p.fail(n.path, "must not be empty")
	}
	return s
}

// strs returns n as an array of strings.
func (p *seedParser) strs(n node) []string {
	var out []string
	for _, e := range p.array(n) {
		out = append(out, p.str(e))
	}
	return out
}

// boolean returns n as a boolean; false for an absent member.
func (p *seedParser) boolean(n node) bool {
	if n.path == "" {
		return false
	}
	b, ok := n.v.(bool)
	if !ok {
		p.fail(n.path, "must be true or false, not %s", kind(n.v))
	}
	return b
}

// tags returns n as an object of string values.
func (p *seedParser) tags(n node) map[string]string {
	if n.path == "" {
		return nil
	}
	out := map[string]string{}
	for k, v := range p.object(n, keysOf(n.v)...) {
		out[k] = p.str(v)
	}
	return out
}

// keysOf returns the member names of an object (any for other values).
func keysOf(v any) []string {
	m, _ := v.(map[string]any)
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// document returns a policy document: a JSON string as is, or a JSON
// object in its compact form.
func (p *seedParser) document(n node) string {
	switch v := n.v.(type) {
	case string:
		if v == "" {
			p.fail(n.path, "must not be empty")
		}
		return v
	case map[string]any:
		b, err := json.Marshal(v)
		if err != nil {
			p.fail(n.path, "%v", err)
		}
		return string(b)
	}
	p.fail(n.path, "must be a policy document: a JSON object, or a string holding one; not %s", kind(n.v))
	return ""
}

// duration returns a duration given as a number of seconds (as IAM's
// MaxSessionDuration) or a Go duration string ("12h").
func (p *seedParser) duration(n node) time.Duration {
	switch v := n.v.(type) {
	case nil:
		if n.path == "" {
			return 0
		}
	case json.Number:
		if s, err := strconv.ParseInt(string(v), 10, 64); err == nil && s > 0 && s < 1<<31 {
			return time.Duration(s) * time.Second
		}
	case string:
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			return d
		}
	}
	p.fail(n.path, "must be a number of seconds or a duration such as \"12h\", not %s", describeValue(n.v))
	return 0
}

// describeValue names a value for errors, with the value when short.
func describeValue(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case json.Number:
		return string(v)
	}
	return kind(v)
}

// policies returns inline policies: documents (strings or objects), or
// objects {"name": ..., "document": ...} for policies with a name.
func (p *seedParser) policies(n node) (docs []string, named []seedNamedPolicy) {
	for _, e := range p.array(n) {
		if m, ok := e.v.(map[string]any); ok {
			if _, hasDoc := m["document"]; hasDoc {
				o := p.object(e, "name*", "document*")
				named = append(named, seedNamedPolicy{path: e.path, name: p.nonEmpty(o["name"]), document: p.document(o["document"])})
				continue
			}
		}
		docs = append(docs, p.document(e))
	}
	return docs, named
}

// parse fills sf from the root object.
func (p *seedParser) parse(sf *seedFile, root node) {
	o := p.object(root, "managedPolicies", "users", "roles", "oidcProviders", "samlProviders", "organizations", "regions", "$comment")
	for _, n := range p.array(o["managedPolicies"]) {
		m := p.object(n, "account", "name*", "document*")
		sf.policies = append(sf.policies, seedPolicy{path: n.path, account: p.str(m["account"]),
			name: p.nonEmpty(m["name"]), document: p.document(m["document"])})
	}
	for _, n := range p.array(o["users"]) {
		m := p.object(n, "account", "path", "name*", "policies", "managedPolicyArns", "tags", "accessKeys", "mfaDevices")
		u := seedUser{path: n.path, spec: fakests.UserSpec{Account: p.str(m["account"]), Path: p.str(m["path"]),
			Name: p.nonEmpty(m["name"]), ManagedPolicyARNs: p.strs(m["managedPolicyArns"]), Tags: p.tags(m["tags"])}}
		u.spec.Policies, u.named = p.policies(m["policies"])
		for _, k := range p.array(m["accessKeys"]) {
			km := p.object(k, "accessKeyId*", "secretAccessKey*", "status")
			key := seedKey{path: k.path, accessKeyID: p.nonEmpty(km["accessKeyId"]), secretAccessKey: p.nonEmpty(km["secretAccessKey"]),
				accessKeyIDPath: km["accessKeyId"].path, secretAccessPath: km["secretAccessKey"].path}
			switch st := p.str(km["status"]); st {
			case "", "Active":
			case "Inactive":
				key.inactive = true
			default:
				p.fail(km["status"].path, "must be \"Active\" or \"Inactive\", not %q", st)
			}
			u.accessKeys = append(u.accessKeys, key)
		}
		for _, d := range p.array(m["mfaDevices"]) {
			dm := p.object(d, "name", "base32StringSeed*")
			u.mfa = append(u.mfa, seedMFA{path: d.path, name: p.str(dm["name"]), base32Seed: p.nonEmpty(dm["base32StringSeed"])})
		}
		sf.users = append(sf.users, u)
	}
	for _, n := range p.array(o["roles"]) {
		m := p.object(n, "account", "path", "name*", "trustPolicy", "policies", "managedPolicyArns", "maxSessionDuration", "tags")
		r := seedRole{path: n.path, spec: fakests.RoleSpec{Account: p.str(m["account"]), Path: p.str(m["path"]),
			Name: p.nonEmpty(m["name"]), ManagedPolicyARNs: p.strs(m["managedPolicyArns"]),
			MaxSessionDuration: p.duration(m["maxSessionDuration"]), Tags: p.tags(m["tags"])}}
		if t, ok := m["trustPolicy"]; ok {
			r.spec.TrustPolicy = p.document(t)
		}
		r.spec.Policies, r.named = p.policies(m["policies"])
		sf.roles = append(sf.roles, r)
	}
	for _, n := range p.array(o["oidcProviders"]) {
		m := p.object(n, "account", "url*", "clientIds", "thumbprints", "jwks*")
		spec := fakests.OIDCProviderSpec{Account: p.str(m["account"]), URL: p.nonEmpty(m["url"]),
			ClientIDs: p.strs(m["clientIds"]), Thumbprints: p.strs(m["thumbprints"])}
		switch v := m["jwks"].v.(type) {
		case string:
			spec.JWKS = []byte(v)
		case map[string]any:
			spec.JWKS, _ = json.Marshal(v)
		default:
			if m["jwks"].path != "" {
				p.fail(m["jwks"].path, "must be a JSON Web Key Set: an object {\"keys\":[...]} or a string holding one; not %s", kind(v))
			}
		}
		sf.oidcProviders = append(sf.oidcProviders, seedOIDC{path: n.path, spec: spec})
	}
	for _, n := range p.array(o["samlProviders"]) {
		m := p.object(n, "account", "name*", "metadata*")
		sf.samlProviders = append(sf.samlProviders, seedSAML{path: n.path, spec: fakests.SAMLProviderSpec{
			Account: p.str(m["account"]), Name: p.nonEmpty(m["name"]), Metadata: []byte(p.nonEmpty(m["metadata"]))}})
	}
	for _, n := range p.array(o["organizations"]) {
		m := p.object(n, "managementAccount*", "members", "delegatedAdministrator", "rootCredentialsManagement", "rootSessions")
		sf.orgs = append(sf.orgs, seedOrg{path: n.path, spec: fakests.OrganizationSpec{
			ManagementAccount: p.nonEmpty(m["managementAccount"]), Members: p.strs(m["members"]),
			DelegatedAdministrator:    p.str(m["delegatedAdministrator"]),
			RootCredentialsManagement: p.boolean(m["rootCredentialsManagement"]), RootSessions: p.boolean(m["rootSessions"])}})
	}
	for _, n := range p.array(o["regions"]) {
		m := p.object(n, "account", "enable", "disable", "deactivateSts")
		sf.regions = append(sf.regions, seedRegions{path: n.path, account: p.str(m["account"]),
			enable: p.strs(m["enable"]), disable: p.strs(m["disable"]), noSTS: p.strs(m["deactivateSts"]),
			enablePath: m["enable"].path, disablePath: m["disable"].path, noSTSPath: m["deactivateSts"].path})
	}
}

// apply creates the seed's entities in e. An error names the entity's
// path in the file.
func (sf *seedFile) apply(e *fakests.Engine) error {
	fail := func(path string, err error) error {
		return &seedError{sf.name, path, strings.TrimPrefix(err.Error(), "fakests: ")}
	}
	for _, mp := range sf.policies {
		if _, err := e.CreateManagedPolicy(mp.account, mp.name, mp.document); err != nil {
			return fail(mp.path, err)
		}
	}
	for _, su := range sf.users {
		u, err := e.CreateUser(su.spec)
		if err != nil {
			return fail(su.path, err)
		}
		if err := applyUserExtras(e, u, su); err != nil {
			return fail(err.(*pathError).path, err.(*pathError).err)
		}
	}
	for _, sr := range sf.roles {
		r, err := e.CreateRole(sr.spec)
		if err != nil {
			return fail(sr.path, err)
		}
		if err := applyRoleExtras(e, r, sr); err != nil {
			return fail(err.(*pathError).path, err.(*pathError).err)
		}
	}
	for _, o := range sf.oidcProviders {
		if _, err := e.CreateOIDCProvider(o.spec); err != nil {
			return fail(o.path, err)
		}
	}
	for _, s := range sf.samlProviders {
		if _, err := e.CreateSAMLProvider(s.spec); err != nil {
			return fail(s.path, err)
		}
	}
	for _, o := range sf.orgs {
		if _, err := e.CreateOrganization(o.spec); err != nil {
			return fail(o.path, err)
		}
	}
	for _, rs := range sf.regions {
		acct := rs.account
		if acct == "" {
			acct = e.AccountID()
		}
		for i, r := range rs.enable {
			if err := e.EnableRegion(acct, r); err != nil {
				return fail(fmt.Sprintf("%s[%d]", rs.enablePath, i), err)
			}
		}
		for i, r := range rs.disable {
			if err := e.DisableRegion(acct, r); err != nil {
				return fail(fmt.Sprintf("%s[%d]", rs.disablePath, i), err)
			}
		}
		for i, r := range rs.noSTS {
			if err := e.DeactivateSTSRegion(acct, r); err != nil {
				return fail(fmt.Sprintf("%s[%d]", rs.noSTSPath, i), err)
			}
		}
	}
	return nil
}

// pathError is an error at a path of the seed file.
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }
