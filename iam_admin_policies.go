package fakests

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/fakests/fakests/apierror"
	"github.com/fakests/fakests/policy"
)

// This file changes managed policies after CreateManagedPolicy: versions,
// the default version, deletion, and the AWS managed policies an engine
// offers. The exported methods are administration, as in
// iam_admin_users.go: no caller, IAM's rules and errors.

// CreatePolicyVersion adds document as a new version of the customer
// managed policy policyARN and returns its version ID (v2, v3, ...); with
// setAsDefault it becomes the version every attachment and session sees.
// A policy has at most five versions (LimitExceeded, as IAM).
func (e *Engine) CreatePolicyVersion(policyARN, document string, setAsDefault bool) (string, error) {
	mp, err := e.changeablePolicy(policyARN, msgAWSPolicyUpdate, errorf(apierror.CodeNoSuchEntity, msgPolicyNotFound, policyARN))
	if err != nil {
		return "", err
	}
	p, err := iamDocument(document, policy.Identity, "managed policy "+mp.name, true)
	if err != nil {
		return "", err
	}
	v, err := e.createPolicyVersion(mp, document, p, setAsDefault)
	if err != nil {
		return "", err
	}
	return v.id, nil
}

// changeablePolicy finds a customer managed policy by ARN: notFound when
// there is none, AccessDenied denied for an AWS managed one (which accounts
// cannot change; the texts are fakests' choice).
func (e *Engine) changeablePolicy(policyARN, denied string, notFound error) (*managedPolicy, error) {
	mp := e.policyTarget(policyARN)
	switch {
	case mp == nil:
		return nil, notFound
	case mp.awsManaged():
		return nil, newError(apierror.CodeAccessDenied, denied)
	}
	return mp, nil
}

// createPolicyVersion adds a version to mp, checking its size.
func (e *Engine) createPolicyVersion(mp *managedPolicy, doc string, parsed *policy.Policy, setDefault bool) (*policyVersion, error) {
	if policySize(doc) > maxManagedPolicySize {
		return nil, errorf(apierror.CodeLimitExceeded, msgQuota, msgPolicySizeQuota, maxManagedPolicySize)
	}
	var v *policyVersion
	err := e.changeIAM(func(c *iamChange) error {
		if e.managedPolicyLocked(mp.arn) != mp {
			return errorf(apierror.CodeNoSuchEntity, msgPolicyNotFound, mp.arn)
		}
		c.policy(mp)
		var err error
		v, err = e.addVersionLocked(mp, doc, parsed, setDefault)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// SetDefaultPolicyVersion makes versionID the default version of the
// customer managed policy policyARN.
func (e *Engine) SetDefaultPolicyVersion(policyARN, versionID string) error {
	mp, err := e.changeablePolicy(policyARN, msgAWSPolicyUpdate,
		errorf(apierror.CodeNoSuchEntity, msgNoSuchPolicyVersion, policyARN, versionID))
	if err != nil {
		return err
	}
	return e.changeIAM(func(c *iamChange) error {
		c.policy(mp)
		return e.setDefaultVersionLocked(mp, versionID)
	})
}

// DeletePolicyVersion deletes a version of the customer managed policy
// policyARN; the default version cannot be deleted (DeleteConflict).
func (e *Engine) DeletePolicyVersion(policyARN, versionID string) error {
	mp, err := e.changeablePolicy(policyARN, msgAWSPolicyVersionDelete,
		errorf(apierror.CodeNoSuchEntity, msgNoSuchPolicyVersion, policyARN, versionID))
	if err != nil {
		return err
	}
	return e.changeIAM(func(c *iamChange) error {
		c.policy(mp)
		return deleteVersionLocked(mp, versionID)
	})
}

// DeleteManagedPolicy deletes the customer managed policy policyARN. As in
// IAM it must be attached to nothing and have no version but its default
// (DeleteConflict).
func (e *Engine) DeleteManagedPolicy(policyARN string) error {
	mp, err := e.changeablePolicy(policyARN, msgAWSPolicyDelete, errorf(apierror.CodeNoSuchEntity, msgPolicyNotFound, policyARN))
	if err != nil {
		return err
	}
	return e.changeIAM(func(c *iamChange) error {
		if e.managedPolicyLocked(mp.arn) != mp {
			return errorf(apierror.CodeNoSuchEntity, msgPolicyNotFound, mp.arn)
		}
		if err := e.deletePolicyLocked(mp); err != nil {
			return err
		}
		c.policy(mp)
		deleteIn(c, e.accounts[mp.account].policies, mp.arn)
		return nil
	})
}

// CreateAWSManagedPolicy adds an AWS managed policy to the engine,
// arn:aws:iam::aws:policy<path><name>, with document as its version v1, and
// returns its ARN. The engine has none but AssumeRoot's task policies until
// told: give it the documents AWS publishes for the ones your tests attach
// (AdministratorAccess is {"Version":"2012-10-17","Statement":[{"Effect":
// "Allow","Action":"*","Resource":"*"}]}). Every account may attach and read
// them; none may change them.
func (e *Engine) CreateAWSManagedPolicy(path, name, document string) (string, error) {
	if path == "" {
		path = "/"
	}
	if !policyPathRE.MatchString(path) || !isPolicyName(name) {
		return "", fmt.Errorf("fakests: AWS managed policy path %q or name %q is not valid", path, name)
	}
	return e.addManagedPolicy(awsManagedAccount, path, name, document, "AWS managed policy "+name)
}

// addPolicy adds mp to account a unless a policy of that name exists
// there (ignoring case and path, as IAM's names are unique in an account):
// EntityAlreadyExists, recorded.
func (c *iamChange) addPolicy(a *account, mp *managedPolicy) error {
	for _, other := range a.policies {
		if strings.EqualFold(other.name, mp.name) {
			return errorf(apierror.CodeEntityAlreadyExists, msgPolicyExists, mp.name)
		}
	}
	c.policy(mp)
	setIn(c, a.policies, mp.arn, mp)
	return nil
}

// isPolicyName reports whether s is a policy name: 1–128 characters of
// [\w+=,.@-].
func isPolicyName(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !nameChar(c) {
			return false
		}
	}
	return true
}

// policyPathRE is IAM's policyPathType (botocore's IAM model).
var policyPathRE = regexp.MustCompile(`^((/[A-Za-z0-9\.,\+@=_-]+)*)/$`)
