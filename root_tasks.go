package fakests

import (
	"sync"

	"github.com/fakests/fakests/policy"
)

// This file holds the five AWS-managed task policies of AssumeRoot
// (behaviour §11.4, §17), as AWS publishes them (path /root-task/, version
// v1; the documents of the stackd capture iam/root_access.json). Each is a
// deny-only ceiling: a root session may do what its task policy does not
// deny, its root user's inherent permissions being unlimited otherwise.

// rootFeature is the IAM organization feature a task needs.
type rootFeature int

const (
	// featureRootCredentials is RootCredentialsManagement.
	featureRootCredentials rootFeature = iota
	// featureRootSessions is RootSessions.
	featureRootSessions
)

// rootTask is one task policy.
type rootTask struct {
	feature  rootFeature
	document string
}

// rootTaskPrefix is the ARN prefix of every task policy.
const rootTaskPrefix = "arn:aws:iam::aws:policy/root-task/"

// rootTasks are the task policies by ARN.
var rootTasks = map[string]rootTask{
	rootTaskPrefix + "IAMAuditRootUserCredentials": {featureRootCredentials, `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAllOtherActionsOnAnyResource",
            "Effect": "Deny",
            "NotAction": [
                "iam:ListAccessKeys",
                "iam:ListSigningCertificates",
                "iam:GetLoginProfile",
                "iam:ListMFADevices",
                "iam:GetAccountSummary",
                "iam:GetUser",
                "iam:GetAccessKeyLastUsed"
            ],
            "Resource": "*"
        },
        {
            "Sid": "DenyAuditingCredentialsOnNonRootUserResource",
            "Effect": "Deny",
            "Action": [
                "iam:ListAccessKeys",
                "iam:ListSigningCertificates",
                "iam:GetLoginProfile",
                "iam:ListMFADevices",
                "iam:GetUser",
                "iam:GetAccessKeyLastUsed"
            ],
            "NotResource": "arn:aws:iam::*:root"
        }
    ]
}`},
	rootTaskPrefix + "IAMCreateRootUserPassword": {featureRootCredentials, `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAllOtherActionsOnAnyResource",
            "Effect": "Deny",
            "NotAction": [
                "iam:CreateLoginProfile",
                "iam:GetLoginProfile"
            ],
            "Resource": "*"
        },
        {
            "Sid": "DenyCreatingPasswordOnNonRootUserResource",
            "Effect": "Deny",
            "Action": [
                "iam:CreateLoginProfile",
                "iam:GetLoginProfile"
            ],
            "NotResource": "arn:aws:iam::*:root"
        }
    ]
}`},
	rootTaskPrefix + "IAMDeleteRootUserCredentials": {featureRootCredentials, `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAllOtherActionsOnAnyResource",
            "Effect": "Deny",
            "NotAction": [
                "iam:DeleteAccessKey",
                "iam:DeleteSigningCertificate",
                "iam:DeleteLoginProfile",
                "iam:DeactivateMFADevice",
                "iam:DeleteVirtualMFADevice",
                "iam:ListAccessKeys",
                "iam:ListSigningCertificates",
                "iam:GetLoginProfile",
                "iam:ListMFADevices",
                "iam:GetUser",
                "iam:GetAccessKeyLastUsed"
            ],
            "Resource": "*"
        },
        {
            "Sid": "DenyDeletingRootUserCredentialsOnNonRootUserResource",
            "Effect": "Deny",
            "Action": [
                "iam:DeleteAccessKey",
                "iam:DeleteSigningCertificate",
                "iam:DeleteLoginProfile",
                "iam:DeactivateMFADevice",
                "iam:DeleteVirtualMFADevice",
                "iam:ListAccessKeys",
                "iam:ListSigningCertificates",
                "iam:GetLoginProfile",
                "iam:ListMFADevices",
                "iam:GetUser",
                "iam:GetAccessKeyLastUsed"
            ],
            "NotResource": "arn:aws:iam::*:root"
        }
    ]
}`},
	rootTaskPrefix + "S3UnlockBucketPolicy": {featureRootSessions, `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAllOtherActionsOnAnyResource",
            "Effect": "Deny",
            "NotAction": [
                "s3:DeleteBucketPolicy",
                "s3:PutBucketPolicy",
                "s3:GetBucketPolicy",
                "s3:ListAllMyBuckets"
            ],
            "Resource": "*"
        },
        {
            "Sid": "DenyManagingBucketPolicyForNonRootCallers",
            "Effect": "Deny",
            "Action": [
                "s3:DeleteBucketPolicy",
                "s3:PutBucketPolicy",
                "s3:GetBucketPolicy",
                "s3:ListAllMyBuckets"
            ],
            "Resource": "*",
            "Condition": {
                "StringNotLike": {
                    "aws:PrincipalArn": "arn:aws:iam::*:root"
                }
            }
        }
    ]
}`},
	rootTaskPrefix + "SQSUnlockQueuePolicy": {featureRootSessions, `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAllOtherActionsOnAnyResource",
            "Effect": "Deny",
            "NotAction": [
                "sqs:SetQueueAttributes",
                "sqs:GetQueueAttributes",
                "sqs:ListQueues",
                "sqs:GetQueueUrl"
            ],
            "Resource": "*"
        },
        {
            "Sid": "DenyGettingQueueAttributesOnNonOwnQueue",
            "Effect": "Deny",
            "Action": [
                "sqs:GetQueueAttributes"
            ],
            "Resource": "arn:aws:sqs:*:*:*",
            "Condition": {
                "StringNotEqualsIfExists": {
                    "aws:ResourceAccount": [
                        "${aws:PrincipalAccount}"
                    ]
                }
            }
        },
        {
            "Sid": "DenyActionsForNonRootUser",
            "Effect": "Deny",
            "Action": [
                "sqs:SetQueueAttributes",
                "sqs:GetQueueAttributes",
                "sqs:ListQueues",
                "sqs:GetQueueUrl"
            ],
            "Resource": "*",
            "Condition": {
                "StringNotLike": {
                    "aws:PrincipalArn": "arn:aws:iam::*:root"
                }
            }
        }
    ]
}`},
}

// rootTaskPolicies are the task policies parsed, by ARN.
var rootTaskPolicies = sync.OnceValue(func() map[string]*policy.Policy {
	out := make(map[string]*policy.Policy, len(rootTasks))
	for policyARN, t := range rootTasks {
		p, err := policy.Parse(t.document, policy.Identity)
		if err != nil {
			panic("fakests: task policy " + policyARN + ": " + err.Error())
		}
		p.Name = policyARN
		out[policyARN] = p
	}
	return out
})

// taskPolicy returns the parsed task policy of a root session (nil for
// other sessions and principals).
func (s *sessionInfo) taskPolicy() *policy.Policy {
	if s == nil || s.taskPolicyARN == "" {
		return nil
	}
	return rootTaskPolicies()[s.taskPolicyARN]
}
