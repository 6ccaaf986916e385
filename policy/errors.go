package policy

// Messages for documents that IAM would refuse with MalformedPolicyDocument.
// The first group is IAM's own wording: MsgSyntax, MsgPrincipalForbidden,
// MsgPrincipalMissing, MsgNeedActions and MsgNeedResources are quoted in
// public user reports of real responses (behaviour §6 names the first
// two); MsgVendor is IAM's answer to an action without a vendor (recorded,
// behaviour §18.2; a condition key needs none). The second group is
// ours, for rules whose exact IAM wording we have not seen, except
// MsgDuplicateSid, since recorded as IAM's (behaviour §18.2).
const (
	MsgSyntax             = "Syntax errors in policy."
	MsgPrincipalForbidden = "Policy document should not specify a principal."
	MsgPrincipalMissing   = "Missing required field Principal"
	MsgNeedActions        = "Policy statement must contain actions."
	MsgNeedResources      = "Policy statement must contain resources."
	MsgVendor             = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."

	MsgTooLarge       = "Policy document is larger than 1048576 bytes."
	MsgBothAction     = "Statement cannot contain both Action and NotAction."
	MsgBothResource   = "Statement cannot contain both Resource and NotResource."
	MsgBothPrincipal  = "Statement cannot contain both Principal and NotPrincipal."
	MsgBadVersion     = "Policy Version must be 2012-10-17 or 2008-10-17."
	MsgBadEffect      = "Statement Effect must be Allow or Deny."
	MsgDuplicateSid   = "Statement IDs (SID) in a single policy must be unique."
	MsgBadResource    = "Resource must be in ARN format or \"*\"."
	MsgBadPrincipal   = "Invalid principal in policy."
	MsgBadCondition   = "Invalid Condition type."
	MsgEmptyStatement = "Policy document must contain at least one statement."
)

// IAM's texts for the stages of CheckIAM, recorded in LocalStack's
// AWS-validated test_create_policy_invalid_document (behaviour §18.2).
// Parse does not use them: STS's answers keep the texts above (§6).
const (
	// MsgVersionRequired refuses a managed policy whose Version is absent
	// or 2008-10-17.
	MsgVersionRequired = "Policy document must be version 2012-10-17 or greater."
	// MsgLegacy refuses what IAM's legacy parser cannot read: an Effect
	// not spelt Allow or Deny exactly, a date it cannot read, a resource
	// of too few parts.
	MsgLegacy = "The policy failed legacy parsing"

	// Texts for a resource's format; the %s are the resource as given,
	// and for MsgPartition the partition and the ARN's other parts as IAM
	// read them.
	MsgResourceFormat = "Resource %s must be in ARN format or \"*\"."
	MsgPartition      = "Partition \"%s\" is not valid for resource \"arn:%s:%s:%s:%s:%s\"."
	MsgResourceVendor = "Resource vendor must be fully qualified and cannot contain regexes."
	MsgIAMRegion      = "IAM resource %s cannot contain region information."
	MsgS3Region       = "Resource %s can not contain region information."
	MsgIAMPath        = "IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/."

	// Texts for an action's vendor; %s is the vendor.
	MsgOneColon  = "Actions/Condition can contain only one colon."
	MsgBadVendor = "Vendor %s is not valid"
)

// Error is the error Parse returns for a document that is not a valid policy.
// Callers report it to clients as MalformedPolicyDocument with Message as the
// text.
type Error struct {
	// Message is the text to show the client: IAM's wording where known
	// (the Msg constants).
	Message string
	// Detail says precisely what is wrong and where, for logs and tests;
	// IAM itself gives no such detail.
	Detail string
}

// Error returns e.Message.
func (e *Error) Error() string { return e.Message }

func newError(msg, detail string) *Error { return &Error{Message: msg, Detail: detail} }

func syntaxError(detail string) *Error { return newError(MsgSyntax, detail) }
