#!/bin/sh
# A CI script against `fakests serve`, as a shell user writes one: the aws
# CLI with the seed's fixed administrator key (e2e.seed.json) creates a
# user and its access key, a managed policy attached to it, a role that
# trusts it; the new key assumes the role and the session asks who it is.
# Run by e2e_test.go with AWS_ENDPOINT_URL set to the server; prints one
# "step: value" line per step, then the CLI's error for a missing user.
set -eu
export AWS_ACCESS_KEY_ID=AKIAE2EADMINEXAMPLE1
export AWS_SECRET_ACCESS_KEY=e2eAdminSecretKey/EXAMPLE/0123456789abcd
acct=123456789012

echo "create-user: $(aws iam create-user --user-name cli-dev --path /e2e/ --query User.Arn --output text)"
set -- $(aws iam create-access-key --user-name cli-dev --query 'AccessKey.[AccessKeyId,SecretAccessKey,Status]' --output text)
dev_key=$1 dev_secret=$2
echo "create-access-key: $3"
policy_arn=$(aws iam create-policy --policy-name cli-assume --output text --query Policy.Arn \
  --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::$acct:role/cli-deployer\"}]}")
echo "create-policy: $policy_arn"
aws iam attach-user-policy --user-name cli-dev --policy-arn "$policy_arn"
echo "attached: $(aws iam list-attached-user-policies --user-name cli-dev --query 'AttachedPolicies[0].PolicyName' --output text)"
echo "create-role: $(aws iam create-role --role-name cli-deployer --query Role.Arn --output text \
  --assume-role-policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::$acct:user/e2e/cli-dev\"},\"Action\":\"sts:AssumeRole\"}]}")"

# The new user's key, then the role's session.
set -- $(AWS_ACCESS_KEY_ID=$dev_key AWS_SECRET_ACCESS_KEY=$dev_secret aws sts assume-role \
  --role-arn arn:aws:iam::$acct:role/cli-deployer --role-session-name cli \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
echo "session: $(AWS_ACCESS_KEY_ID=$1 AWS_SECRET_ACCESS_KEY=$2 AWS_SESSION_TOKEN=$3 aws sts get-caller-identity --query Arn --output text)"

# An IAM error as the CLI shows it: its message on stderr, a non-zero exit
# status (255 from CLI v1, 254 from v2).
status=0
err=$(aws iam get-user --user-name cli-nobody 2>&1 >/dev/null) || status=$?
echo "get-user-missing: $status $(echo $err)"
