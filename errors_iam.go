package fakests

// This file is the IAM part of the error catalogue (errors.go holds STS's):
// the message templates of IAM's control plane. Each names its source in
// behaviour §18: "LocalStack" is an AWS-validated LocalStack recording
// (localstack/localstack tests/aws/services/iam/*.snapshot.json), "stackd"
// a radkawar/stackd capture, an issue a raw answer pasted in it; "choice"
// marks fakests' own wording where no source records AWS's.

// Operation names of IAM's control plane, as they appear in Action=, in
// iam:<Action> and in errors.
const (
	opCreateUser                  = "CreateUser"
	opGetUser                     = "GetUser"
	opListUsers                   = "ListUsers"
	opDeleteUser                  = "DeleteUser"
	opTagUser                     = "TagUser"
	opUntagUser                   = "UntagUser"
	opListUserTags                = "ListUserTags"
	opCreateAccessKey             = "CreateAccessKey"
	opListAccessKeys              = "ListAccessKeys"
	opUpdateAccessKey             = "UpdateAccessKey"
	opDeleteAccessKey             = "DeleteAccessKey"
	opCreateRole                  = "CreateRole"
	opGetRole                     = "GetRole"
	opListRoles                   = "ListRoles"
	opUpdateRole                  = "UpdateRole"
	opUpdateRoleDescription       = "UpdateRoleDescription"
	opUpdateAssumeRolePolicy      = "UpdateAssumeRolePolicy"
	opTagRole                     = "TagRole"
	opUntagRole                   = "UntagRole"
	opListRoleTags                = "ListRoleTags"
	opDeleteRole                  = "DeleteRole"
	opListInstanceProfilesForRole = "ListInstanceProfilesForRole"
	opPutUserPolicy               = "PutUserPolicy"
	opGetUserPolicy               = "GetUserPolicy"
	opListUserPolicies            = "ListUserPolicies"
	opDeleteUserPolicy            = "DeleteUserPolicy"
	opPutRolePolicy               = "PutRolePolicy"
	opGetRolePolicy               = "GetRolePolicy"
	opListRolePolicies            = "ListRolePolicies"
	opDeleteRolePolicy            = "DeleteRolePolicy"
	opCreatePolicy                = "CreatePolicy"
	opGetPolicy                   = "GetPolicy"
	opGetPolicyVersion            = "GetPolicyVersion"
	opCreatePolicyVersion         = "CreatePolicyVersion"
	opListPolicyVersions          = "ListPolicyVersions"
	opSetDefaultPolicyVersion     = "SetDefaultPolicyVersion"
	opDeletePolicyVersion         = "DeletePolicyVersion"
	opDeletePolicy                = "DeletePolicy"
	opListPolicies                = "ListPolicies"
	opAttachUserPolicy            = "AttachUserPolicy"
	opDetachUserPolicy            = "DetachUserPolicy"
	opListAttachedUserPolicies    = "ListAttachedUserPolicies"
	opAttachRolePolicy            = "AttachRolePolicy"
	opDetachRolePolicy            = "DetachRolePolicy"
	opListAttachedRolePolicies    = "ListAttachedRolePolicies"
	opCreateOIDCProvider          = "CreateOpenIDConnectProvider"
	opGetOIDCProvider             = "GetOpenIDConnectProvider"
	opListOIDCProviders           = "ListOpenIDConnectProviders"
	opDeleteOIDCProvider          = "DeleteOpenIDConnectProvider"
	opAddClientID                 = "AddClientIDToOpenIDConnectProvider"
	opRemoveClientID              = "RemoveClientIDFromOpenIDConnectProvider"
	opUpdateThumbprint            = "UpdateOpenIDConnectProviderThumbprint"
	opCreateSAMLProvider          = "CreateSAMLProvider"
	opGetSAMLProvider             = "GetSAMLProvider"
	opListSAMLProviders           = "ListSAMLProviders"
	opUpdateSAMLProvider          = "UpdateSAMLProvider"
	opDeleteSAMLProvider          = "DeleteSAMLProvider"
	opCreateVirtualMFADevice      = "CreateVirtualMFADevice"
	opEnableMFADevice             = "EnableMFADevice"
	opListMFADevices              = "ListMFADevices"
	opListVirtualMFADevices       = "ListVirtualMFADevices"
	opDeactivateMFADevice         = "DeactivateMFADevice"
	opDeleteVirtualMFADevice      = "DeleteVirtualMFADevice"
	opListOrganizationsFeatures   = "ListOrganizationsFeatures"
	opEnableRootCredentials       = "EnableOrganizationsRootCredentialsManagement"
	opDisableRootCredentials      = "DisableOrganizationsRootCredentialsManagement"
	opEnableRootSessions          = "EnableOrganizationsRootSessions"
	opDisableRootSessions         = "DisableOrganizationsRootSessions"
	opEnableOutbound              = "EnableOutboundWebIdentityFederation"
	opDisableOutbound             = "DisableOutboundWebIdentityFederation"
	opGetOutboundInfo             = "GetOutboundWebIdentityFederationInfo"
)

// IAM's message templates.
const (
	// NoSuchEntity (404).
	msgNoSuchUser          = "The user with name %s cannot be found."                    // LocalStack
	msgNoSuchRole          = "The role with name %s cannot be found."                    // LocalStack
	msgNoSuchRolePolicy    = "The role policy with name %s cannot be found."             // LocalStack
	msgNoSuchUserPolicy    = "The user policy with name %s cannot be found."             // choice, after the role's
	msgPolicyNotFound      = "Policy %s was not found."                                  // LocalStack
	msgNoSuchPolicyVersion = "Policy %s version %s does not exist or is not attachable." // LocalStack
	msgNoSuchAccessKey     = "The Access Key with id %s cannot be found."                // LocalStack
	msgNoSuchMFADevice     = "MFA Device with serial number %s does not exist."          // LocalStack
	msgNoSuchOIDCProvider  = "OpenIDConnect Provider not found for arn %s"               // LocalStack (Get)
	msgNoOIDCProviderToDel = "OpenId connect Provider %s cannot be found."               // LocalStack (Delete)
	msgNoSuchSAMLProvider  = "Manifest not found for arn %s"                             // LocalStack (Get)

	// EntityAlreadyExists (409).
	msgUserExists         = "User with name %s already exists."                                   // LocalStack
	msgRoleExists         = "Role with name %s already exists."                                   // LocalStack
	msgPolicyExists       = "A policy called %s already exists. Duplicate names are not allowed." // LocalStack
	msgMFADeviceExists    = "MFA device already exists."                                          // LocalStack
	msgMFADeviceInUse     = "MFA Device is already in use."                                       // choice (unrecorded)
	msgOIDCProviderExists = "Provider with url %s already exists."                                // LocalStack
	msgSAMLProviderExists = "SAMLProvider %s already exists."                                     // choice

	// DeleteConflict (409).
	msgDeleteKeysFirst      = "Cannot delete entity, must delete access keys first."                                                                                                      // aws-controllers-k8s/community #2229
	msgDeleteMFAFirst       = "Cannot delete entity, must delete MFA device first."                                                                                                       // rebuy-de/aws-nuke #281
	msgDeletePoliciesFirst  = "Cannot delete entity, must delete policies first."                                                                                                         // LocalStack
	msgDetachPoliciesFirst  = "Cannot delete entity, must detach all policies first."                                                                                                     // LocalStack
	msgDeleteDefaultVersion = "Cannot delete the default version of a policy."                                                                                                            // LocalStack
	msgPolicyAttached       = "Cannot delete a policy attached to entities."                                                                                                              // hashicorp/terraform-provider-aws #13901
	msgPolicyHasVersions    = "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy." // redradrat/aws-iam-operator #13
	msgMFADeviceAssigned    = "MFA device is assigned to a user; deactivate it first."                                                                                                    // choice

	// LimitExceeded (409).
	msgQuota                = "Cannot exceed quota for %s: %d"                                                                                    // LocalStack (AccessKeysPerUser: 2)
	msgPolicyVersionLimit   = "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version." // LocalStack
	msgInlinePolicySize     = "Maximum policy size of %d bytes exceeded for %s %s"                                                                // serverless/serverless #7643 (role), ministryofjustice/cloud-platform-environments #5303 (user)
	msgTagLimit             = "The number of tags has reached the maximum limit."                                                                 // LocalStack (OIDC provider)
	msgMFADevicesPerUser    = "MFADevicesPerUser"
	msgAccessKeysPerUser    = "AccessKeysPerUser"
	msgPoliciesPerUser      = "PoliciesPerUser"
	msgPoliciesPerRole      = "PoliciesPerRole"
	msgPolicySizeQuota      = "PolicySize"                        // ministryofjustice/cloud-platform-environments #14473
	msgTrustSizeQuota       = "ACLSizePerRole"                    // kubeflow/dashboard #29
	msgClientIDsPerProvider = "ClientIdsPerOpenIdConnectProvider" // LocalStack

	// MalformedPolicyDocument (400).
	msgTrustActions      = "AssumeRole policy may only specify STS AssumeRole actions." // LocalStack
	msgTrustProhibited   = "Has prohibited field "                                      // LocalStack ("Has prohibited field Resource")
	msgPolicyInvalidJSON = "This policy contains invalid Json"                          // LocalStack

	// InvalidInput (400).
	msgDuplicateTags     = "Duplicate tag keys found. Please note that Tag keys are case insensitive." // LocalStack (CreateRole)
	msgDuplicateTagsBare = "Duplicate tag keys found."                                                 // LocalStack (CreatePolicy)
	msgTooManyThumbs     = "Thumbprint list must contain fewer than 5 entries."                        // LocalStack
	msgInvalidInputARN   = "ARN %s is not valid."                                                      // LocalStack
	msgBadSAMLMetadata   = "Could not parse metadata"                                                  // choice
	msgBadKeyStatus      = "Invalid status %s for an access key; it must be Active or Inactive."       // choice

	// UnsupportedOperation (400): a parameter fakests does not model.
	msgUnsupported = "fakests does not support %s yet" // choice

	// ValidationError (400).
	msgInvalidMarker  = "Invalid Marker."                                                                                                                     // LocalStack
	msgNeedUserName   = "Must specify userName when calling with non-User credentials"                                                                        // LocalStack
	msgInvalidPath    = "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters." // LocalStack (CreateVirtualMFADevice)
	msgInvalidOIDCURL = "Invalid Open ID Connect Provider URL"                                                                                                // LocalStack

	// InvalidClientTokenId (403): IAM refuses the credentials of
	// GetSessionToken without MFA, without the period STS's text has (a raw
	// IAM answer in aws/aws-cli #8918; 99designs/aws-vault #15, #328, #1056).
	msgIAMSessionRefused = "The security token included in the request is invalid"

	// InvalidAuthenticationCode (403): EnableMFADevice's codes (stackd
	// iam/mfa_reuse.json records the text for ResyncMFADevice).
	msgInvalidAuthCode = "Authentication code for device is not valid."

	// AccessDenied (403): AWS managed policies cannot change (choice: the
	// texts are unrecorded).
	msgAWSPolicyDelete        = "Cannot delete policies outside your own account."
	msgAWSPolicyVersionDelete = "Cannot delete policy versions for policies outside your own account."
	msgAWSPolicyUpdate        = "Cannot update policies outside your own account."

	// AccessDenied (403): IAM's denials carry a reason (stackd
	// iam/root_access.json); the other reasons are errors.go's
	// msgNotAuthorized* texts. A call on another account's entity has no
	// resource-based policy to allow it (choice, after the identity texts).
	msgIAMNoResourcePolicy = msgNotAuthorized + " because no resource-based policy allows the %s action"
)

// The Organizations-related errors of IAM's model carry no code of their
// own: the shape name is the code, answered with 400; the texts are the
// shapes' documentation in botocore's IAM model (choice: AWS's own answers
// are not recorded).
const (
	codeOrganizationNotFound = "OrganizationNotFoundException"
	codeNotManagementOrAdmin = "AccountNotManagementOrDelegatedAdministratorException"
	codeNotManagementAccount = "CallerIsNotManagementAccountException"
	msgOrganizationNotFound  = "The request was rejected because no organization is associated with your account."
	msgNotManagementOrAdmin  = "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access."
	msgNotManagementAccount  = "The request was rejected because the account making the request is not the management account for the organization."
)
